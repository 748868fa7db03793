package workflow

import "github.com/hashicorp/hcl/v2/hclsyntax"

type hclwriteTokenType = hclsyntax.TokenType

const (
	tokOBrace  = hclsyntax.TokenOBrace
	tokCBrace  = hclsyntax.TokenCBrace
	tokNewline = hclsyntax.TokenNewline
	tokEqual   = hclsyntax.TokenEqual
	tokIdent   = hclsyntax.TokenIdent
)
