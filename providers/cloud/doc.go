// Package cloud is the built-in provider for Comfy Cloud (https://cloud.comfy.org): the
// hosted ComfyUI that speaks the local server's protocol under /api with an X-API-Key.
// It renders (Submit, Watch, Fetch, Cancel), uploads inputs, reads job logs and the
// queue, checks model presence through the experiment/models endpoints and imports
// Hugging Face and Civitai models with POST /api/assets/download. Node packs cannot be
// installed on Cloud; a node block is a plan error that says so.
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
