// Package cloud is the built-in provider for Comfy Cloud (https://cloud.comfy.org): the
// hosted ComfyUI that speaks the local server's protocol under /api with an X-API-Key.
// It renders (Submit, Watch, Fetch, Cancel; Watch without a prompt id follows every job
// of the account), uploads inputs, reads job logs and the queue, checks model presence
// by name through the experiment/models endpoints (one read per folder) and imports
// Hugging Face and Civitai models with POST /api/assets/download. Node packs cannot be
// installed on Cloud; a node block is a plan error that says so. Cloud's status codes
// (401, 402, 403, 429) and runtime error classes become diagnostics with the fix.
//
// Secrets: the API key (config api_key or COMFY_CLOUD_API_KEY) and the partner key
// (extra_data.api_key_comfy_org for partner nodes) are separate, never logged and
// scrubbed from every diagnostic.
//
// Neighbours: plugins (the contract it implements; comfyhcl runs it as
// `comfyhcl internal-provider cloud`), providers/comfyapi (the wire, with FlavorCloud
// routing and the redirect-safe downloads that keep the key off signed storage URLs).
// It knows nothing of HCL or of the core, and does not import providers/local.
package cloud
