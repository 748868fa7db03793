package launchtest

// failCheck exits 1 when the tool's name is in FAKE_FAIL, and hangs (recording its pid)
// when it is in FAKE_HANG.
const failCheck = `case "$FAKE_FAIL" in *" $(basename "$0") "*) echo "$(basename "$0"): simulated failure" >&2; exit 1;; esac
case "$FAKE_HANG" in *" $(basename "$0") "*) echo $$ >> "$FAKE_LOG.hung"; exec sleep 600;; esac
`

const installComfy = `mkdir -p "$HOME/.local/bin" && cp "$FAKE_COMFY_TEMPLATE" "$HOME/.local/bin/comfy" && chmod 755 "$HOME/.local/bin/comfy"
`

const pipxScript = `#!/bin/sh
echo "pipx $*" >> "$FAKE_LOG"
` + failCheck + installComfy + `echo "installed package comfy-cli, installed using Python 3.12"
`

const uvxScript = `#!/bin/sh
echo "uvx $*" >> "$FAKE_LOG"
` + failCheck + `[ "$1" = "--from" ] && shift 3
exec "$FAKE_COMFY_TEMPLATE" "$@"
`

// pipScript serves as python3 (-m pip ...) and as pip.
const pipScript = `#!/bin/sh
echo "$(basename "$0") $*" >> "$FAKE_LOG"
` + failCheck + `case "$*" in
*--break-system-packages*) ;;
*) if [ -n "$FAKE_PEP668" ]; then
	echo "error: externally-managed-environment" >&2
	echo "This environment is externally managed" >&2
	exit 1
fi;;
esac
` + installComfy + `echo "Successfully installed comfy-cli-1.5.1"
`

const comfyScript = `#!/bin/sh
echo "comfy $*" >> "$FAKE_LOG"
ws=""
while [ $# -gt 0 ]; do
	case "$1" in
	--workspace) ws="$2"; shift 2;;
	--workspace=*) ws="${1#--workspace=}"; shift;;
	--skip-prompt) shift;;
	--help) echo "Usage: comfy [OPTIONS] COMMAND"; exit 0;;
	*) break;;
	esac
done
sub="$1"; shift
case "$sub" in
install)
	mkdir -p "$ws/.git"
	case "$FAKE_FAIL" in *" comfy-install "*) echo "fatal: unable to access 'https://github.com/comfyanonymous/ComfyUI/': Could not resolve host" >&2; exit 1;; esac
	case "$FAKE_HANG" in *" comfy-install "*) echo $$ >> "$FAKE_LOG.hung"; exec sleep 600;; esac
	echo "# fake ComfyUI" > "$ws/main.py"
	echo "ComfyUI is installed at: $ws";;
launch)
	[ "$1" = "--" ] && shift
	listen="$2"; port="$4"
	echo "Launching ComfyUI from: $ws"
	echo $$ >> "$FAKE_LOG.launched"
	case "$FAKE_LAUNCH_MODE" in
	hang) exec sleep 600;;
	crash) echo "OSError: [Errno 98] error while attempting to bind on address ('$listen', $port): address already in use" >&2; exit 1;;
	esac
	exec $FAKE_SERVER_CMD "$listen:$port";;
*) echo "fake comfy: unknown command $sub" >&2; exit 2;;
esac
`
