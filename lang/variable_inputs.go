package lang

// VariableInputs are the sources of input variable values other than defaults, which
// ResolveVariables reads in Terraform's order (later wins):
//
//	defaults < COMFYHCL_VAR_<name> environment variables < comfyhcl.vars.hcl
//	  < *.auto.vars.hcl (lexical order) < -var and -var-file in command-line order
//
// The vars files in Config.Dir are found automatically.
type VariableInputs struct {
	// Env is os.Environ()-shaped; only COMFYHCL_VAR_<name>=value entries are used.
	Env []string
	// Args are the -var and -var-file flags in the order they were given.
	Args []VarArg
	// Prompt, when set, is asked for each required variable without a value (the command
	// sets it only when stdin is a terminal). ok false means no answer.
	Prompt func(name, description string) (value string, ok bool)

	// static makes env() unknown in defaults (Validate: no machine facts).
	static bool
}

// VarArg is one -var name=value (File empty) or -var-file=FILE flag.
type VarArg struct {
	File  string
	Name  string
	Value string
}

// EnvVarPrefix is the prefix of environment variables that set input variables.
const EnvVarPrefix = "COMFYHCL_VAR_"

// VarsFileName and AutoVarsSuffix name the vars files LoadDir's directory may hold.
const (
	VarsFileName   = "comfyhcl.vars.hcl"
	AutoVarsSuffix = ".auto.vars.hcl"
)
