package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

func init() {
	add(command{Name: "completion", Summary: "print a shell completion script (bash, zsh or fish)",
		Usage: "bash|zsh|fish", Env: []string{},
		Description: "Completes commands and flags. Load the script in the shell's start-up file.",
		Example: `source <(invitekit completion bash)         # ~/.bashrc
source <(invitekit completion zsh)          # ~/.zshrc
invitekit completion fish | source          # ~/.config/fish/config.fish`,
		Run: runCompletion})
}

func runCompletion(_ context.Context, e *env, args []string) error {
	rest, err := parseArgs(newFlags(e, "completion"), args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError("completion needs one shell: bash, zsh or fish (see invitekit completion --help)")
	}
	words := completionWords()
	switch rest[0] {
	case "bash":
		writeBashCompletion(e.Stdout, words)
	case "zsh":
		fmt.Fprintln(e.Stdout, "#compdef invitekit")
		fmt.Fprintln(e.Stdout, "autoload -U +X bashcompinit && bashcompinit")
		writeBashCompletion(e.Stdout, words)
	case "fish":
		writeFishCompletion(e.Stdout, words)
	default:
		return usageError("completion: unknown shell %q: want bash, zsh or fish", rest[0])
	}
	return nil
}

// completions are the words to offer: the first word, the commands of each
// group, and the flags of each command ("ivvy invite", "demo").
type completions struct {
	top    []string
	groups map[string][]string
	flags  map[string][]string
	global []string
}

func completionWords() completions {
	c := completions{groups: map[string][]string{}, flags: map[string][]string{}}
	for _, g := range groupNames() {
		c.top = append(c.top, g)
		c.groups[g] = names(commands[g])
	}
	c.top = append(c.top, names(commands[""])...)
	c.top = append(c.top, "help")
	sort.Strings(c.top)
	for _, cmd := range allCommands() {
		var fl []string
		commandFlags(cmd).VisitAll(func(f *flag.Flag) { fl = append(fl, "--"+f.Name) })
		c.flags[cmd.path()] = append(fl, "--help")
	}
	for _, g := range globalFlags {
		c.global = append(c.global, "--"+g.Name)
	}
	return c
}

func writeBashCompletion(w io.Writer, c completions) {
	fmt.Fprintln(w, "# bash completion for invitekit")
	fmt.Fprintln(w, "_invitekit() {")
	fmt.Fprintln(w, `  local cur words=() i w`)
	fmt.Fprintln(w, `  cur="${COMP_WORDS[COMP_CWORD]}"`)
	fmt.Fprintln(w, `  for ((i = 1; i < COMP_CWORD; i++)); do`)
	fmt.Fprintln(w, `    w="${COMP_WORDS[i]}"`)
	fmt.Fprintln(w, `    [[ "$w" == -* ]] || words+=("$w")`)
	fmt.Fprintln(w, `  done`)
	fmt.Fprintf(w, "  local global=%q\n", strings.Join(c.global, " "))
	fmt.Fprintln(w, `  local opts`)
	fmt.Fprintln(w, `  case "${words[0]:-} ${words[1]:-}" in`)
	for _, path := range sortedKeys(c.flags) {
		pattern := fmt.Sprintf("%q", path)
		if commands[""][path] != nil {
			pattern = fmt.Sprintf("%q*", path+" ") // a top-level command: any second word
		}
		fmt.Fprintf(w, "    %s) opts=%q ;;\n", pattern, strings.Join(c.flags[path], " "))
	}
	for _, g := range sortedKeys(c.groups) {
		fmt.Fprintf(w, "    %q) opts=%q ;;\n", g+" ", strings.Join(c.groups[g], " "))
	}
	fmt.Fprintf(w, "    \" \") opts=%q ;;\n", strings.Join(c.top, " "))
	fmt.Fprintln(w, `    *) opts="" ;;`)
	fmt.Fprintln(w, `  esac`)
	fmt.Fprintln(w, `  if [[ "$cur" == -* ]]; then opts="$opts $global"; fi`)
	fmt.Fprintln(w, `  COMPREPLY=($(compgen -W "$opts" -- "$cur"))`)
	fmt.Fprintln(w, "}")
	fmt.Fprintln(w, "complete -o default -F _invitekit invitekit")
}

func writeFishCompletion(w io.Writer, c completions) {
	fmt.Fprintln(w, "# fish completion for invitekit")
	fmt.Fprintln(w, "complete -c invitekit -f")
	for _, t := range c.top {
		summary := "command group"
		if cmd := commands[""][t]; cmd != nil {
			summary = cmd.Summary
		} else if g := groups[t]; g != nil && g.Summary != "" {
			summary = g.Summary
		}
		fmt.Fprintf(w, "complete -c invitekit -n __fish_use_subcommand -a %s -d %s\n", fishQuote(t), fishQuote(summary))
	}
	for _, g := range sortedKeys(c.groups) {
		for _, n := range c.groups[g] {
			fmt.Fprintf(w, "complete -c invitekit -n '__fish_seen_subcommand_from %s; and not __fish_seen_subcommand_from %s' -a %s -d %s\n",
				g, strings.Join(c.groups[g], " "), fishQuote(n), fishQuote(commands[g][n].Summary))
		}
	}
	for _, path := range sortedKeys(c.flags) {
		cond := "__fish_seen_subcommand_from " + path
		if g, n, ok := strings.Cut(path, " "); ok {
			cond = fmt.Sprintf("__fish_seen_subcommand_from %s; and __fish_seen_subcommand_from %s", g, n)
		}
		for _, f := range c.flags[path] {
			fmt.Fprintf(w, "complete -c invitekit -n '%s' -l %s\n", cond, strings.TrimPrefix(f, "--"))
		}
	}
	for _, f := range c.global {
		fmt.Fprintf(w, "complete -c invitekit -l %s\n", strings.TrimPrefix(f, "--"))
	}
}

// fishQuote quotes s for fish in single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func sortedKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
