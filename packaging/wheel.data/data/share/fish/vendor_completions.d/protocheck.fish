# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_protocheck_global_optspecs
    string join \n V/version against= I/include= protoc= level= compat= config= no-config deny-warnings full exclude-imports format= color= link-base= roundtrip h/help
end

function __fish_protocheck_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_protocheck_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_protocheck_using_subcommand
    set -l cmd (__fish_protocheck_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c protocheck -n "__fish_protocheck_needs_command" -l against -d 'Checks NEW (default: the current directory) against this old schema instead of OLD: `git:REF` for the same path at a git revision (branch, tag, commit, HEAD~1, origin/main), `git:REF:PATH`, or a path. Repeat it to check against several versions; each pair is reported' -r -F
complete -c protocheck -n "__fish_protocheck_needs_command" -s I -l include -d 'Adds an import root for both sides (repeatable)' -r -F
complete -c protocheck -n "__fish_protocheck_needs_command" -l protoc -d 'The protoc that compiles files written with `edition = "…"` (default: $PROTOC, else protoc on PATH, else the protoc bundled with protocheck)' -r -F
complete -c protocheck -n "__fish_protocheck_needs_command" -l level -d 'Which rule set to apply, strictest first: file (default), package, wire-json, wire; or csr, buf\'s CSR category. Overrides `use`/`level` (and `compat`) of the configuration' -r
complete -c protocheck -n "__fish_protocheck_needs_command" -l compat -d 'The Schema Registry\'s verdict under this compatibility level instead of buf\'s rules: backward, forward, full, backward-transitive, forward-transitive, full-transitive or none (any case, - or _). Each .proto file is a subject; the transitive levels check NEW against every --against given' -r
complete -c protocheck -n "__fish_protocheck_needs_command" -l config -d 'A protocheck.toml or buf.yaml. By default protocheck.toml, else buf.yaml, is looked for in NEW\'s directory and its parents' -r -F
complete -c protocheck -n "__fish_protocheck_needs_command" -l format -d 'How to print the findings' -r -f -a "text\t'Diagnostics with source snippets, old and new'
short\t'One line per finding: path:line:col: RULE_ID message'
json\t'One JSON document (schema in the README)'
sarif\t'SARIF 2.1.0, for GitHub code scanning and other SARIF viewers'
github\t'GitHub Actions workflow commands: annotations on the pull request'
junit\t'JUnit XML, shown as failed tests by GitLab and Jenkins'
gitlab\t'GitLab code quality JSON'
markdown\t'Markdown for a pull-request comment: a summary and a table of findings'"
complete -c protocheck -n "__fish_protocheck_needs_command" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c protocheck -n "__fish_protocheck_needs_command" -l link-base -d 'Prefix of file links in markdown output (`<URL>/<path>#L<line>`). By default taken from GitHub Actions or GitLab CI variables; else links are relative paths' -r
complete -c protocheck -n "__fish_protocheck_needs_command" -s V -l version -d 'Print the version, the commit it was built from and the protoc in use'
complete -c protocheck -n "__fish_protocheck_needs_command" -l no-config -d 'Ignore any configuration file'
complete -c protocheck -n "__fish_protocheck_needs_command" -l deny-warnings -d 'Count warnings as breaking (exit code 1)'
complete -c protocheck -n "__fish_protocheck_needs_command" -l full -d 'Compile every file, including those identical on both sides (by default they are only parsed and their names resolved: they cannot change the findings)'
complete -c protocheck -n "__fish_protocheck_needs_command" -l exclude-imports -d 'Compare only the input files, not the files they import (buf\'s flag of the same name). By default imported files (deps, well-known types) are compared too, as buf does'
complete -c protocheck -n "__fish_protocheck_needs_command" -l roundtrip -d 'Round-trip sample messages between the versions and show, under each finding, what old and new readers actually see (text and json formats; the exit code is unchanged)'
complete -c protocheck -n "__fish_protocheck_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c protocheck -n "__fish_protocheck_needs_command" -a "rules" -d 'Lists every rule with its levels and what it checks'
complete -c protocheck -n "__fish_protocheck_needs_command" -a "explain" -d 'Explains a rule: what it checks, who breaks, an example and the fix'
complete -c protocheck -n "__fish_protocheck_needs_command" -a "snapshot" -d 'Saves a compiled schema (a binary FileDescriptorSet with source info and imports) to use later as OLD'
complete -c protocheck -n "__fish_protocheck_needs_command" -a "roundtrip" -d 'Round-trips sample messages between the versions and shows what each reader sees'
complete -c protocheck -n "__fish_protocheck_needs_command" -a "completions" -d 'Prints a shell completion script: `protocheck completions bash > …` (see the README for where each shell looks)'
complete -c protocheck -n "__fish_protocheck_needs_command" -a "man" -d 'Prints the manual page (roff): `protocheck man > protocheck.1`'
complete -c protocheck -n "__fish_protocheck_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c protocheck -n "__fish_protocheck_using_subcommand rules" -l level -d 'Only the rules of this level' -r
complete -c protocheck -n "__fish_protocheck_using_subcommand rules" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c protocheck -n "__fish_protocheck_using_subcommand rules" -s h -l help -d 'Print help'
complete -c protocheck -n "__fish_protocheck_using_subcommand explain" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c protocheck -n "__fish_protocheck_using_subcommand explain" -s h -l help -d 'Print help'
complete -c protocheck -n "__fish_protocheck_using_subcommand snapshot" -s o -l output -d 'Where to write it (`-` for stdout)' -r -F
complete -c protocheck -n "__fish_protocheck_using_subcommand snapshot" -s I -l include -d 'Adds an import root (repeatable)' -r -F
complete -c protocheck -n "__fish_protocheck_using_subcommand snapshot" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c protocheck -n "__fish_protocheck_using_subcommand snapshot" -s h -l help -d 'Print help'
complete -c protocheck -n "__fish_protocheck_using_subcommand roundtrip" -l message -d 'A message type to round-trip, by full name (repeatable); default: every message type defined in both versions' -r
complete -c protocheck -n "__fish_protocheck_using_subcommand roundtrip" -l sample -d 'A sample of the writer\'s message instead of synthesized ones: .json (proto3 JSON), .txtpb (text format) or .binpb (binary). Repeatable' -r -F
complete -c protocheck -n "__fish_protocheck_using_subcommand roundtrip" -s I -l include -d 'Adds an import root for both sides (repeatable)' -r -F
complete -c protocheck -n "__fish_protocheck_using_subcommand roundtrip" -l format -d 'How to print the round trip' -r -f -a "text\t'Per message and direction, each field\'s outcome with the bytes'
json\t'One JSON document (schema in the README)'"
complete -c protocheck -n "__fish_protocheck_using_subcommand roundtrip" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c protocheck -n "__fish_protocheck_using_subcommand roundtrip" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c protocheck -n "__fish_protocheck_using_subcommand completions" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c protocheck -n "__fish_protocheck_using_subcommand completions" -s h -l help -d 'Print help'
complete -c protocheck -n "__fish_protocheck_using_subcommand man" -l color -d 'When to colour text output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c protocheck -n "__fish_protocheck_using_subcommand man" -s h -l help -d 'Print help'
complete -c protocheck -n "__fish_protocheck_using_subcommand help; and not __fish_seen_subcommand_from rules explain snapshot roundtrip completions man help" -f -a "rules" -d 'Lists every rule with its levels and what it checks'
complete -c protocheck -n "__fish_protocheck_using_subcommand help; and not __fish_seen_subcommand_from rules explain snapshot roundtrip completions man help" -f -a "explain" -d 'Explains a rule: what it checks, who breaks, an example and the fix'
complete -c protocheck -n "__fish_protocheck_using_subcommand help; and not __fish_seen_subcommand_from rules explain snapshot roundtrip completions man help" -f -a "snapshot" -d 'Saves a compiled schema (a binary FileDescriptorSet with source info and imports) to use later as OLD'
complete -c protocheck -n "__fish_protocheck_using_subcommand help; and not __fish_seen_subcommand_from rules explain snapshot roundtrip completions man help" -f -a "roundtrip" -d 'Round-trips sample messages between the versions and shows what each reader sees'
complete -c protocheck -n "__fish_protocheck_using_subcommand help; and not __fish_seen_subcommand_from rules explain snapshot roundtrip completions man help" -f -a "completions" -d 'Prints a shell completion script: `protocheck completions bash > …` (see the README for where each shell looks)'
complete -c protocheck -n "__fish_protocheck_using_subcommand help; and not __fish_seen_subcommand_from rules explain snapshot roundtrip completions man help" -f -a "man" -d 'Prints the manual page (roff): `protocheck man > protocheck.1`'
complete -c protocheck -n "__fish_protocheck_using_subcommand help; and not __fish_seen_subcommand_from rules explain snapshot roundtrip completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
