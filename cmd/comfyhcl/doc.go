// Package main is the comfyhcl CLI: wiring only. Each cmd_<verb>.go parses its flags,
// calls lang (config), core (plan/apply/state) or plugins (providers), and renders the
// result through a view (human text or JSON lines). No business logic lives here.
package main
