"""The command line: `poalint [OPTIONS] PATHS...` (= `poalint check`), plus `rules`, `rule ID` and friends.

Nothing heavy is imported at module level: --version, --help and listing rules never load spaCy.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from poalint import __version__
from poalint.formats import FORMAT_NAMES
from poalint.model import EXIT_ERROR, bug_message


class DefaultGroup(click.Group):
    """A group whose default command is `check`: `poalint letter.txt` == `poalint check letter.txt`."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] in ("--help", "-h", "--version"):
            return super().parse_args(ctx, args)
        if args[0] not in self.commands:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("poalint", "[OPTIONS] PATHS... | COMMAND [ARGS]...")


def _stderr(message: str) -> None:
    click.echo(f"poalint: {message}", err=True)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="poalint", message="%(prog)s %(version)s")
def cli() -> None:
    """Lint Amazon Plan of Action (POA) letters before Amazon reads them.

    \b
    poalint letter.txt            lint one letter (same as `poalint check letter.txt`)
    poalint appeals/              lint every letter in a folder (.txt .md .docx .odt .rtf .pdf)
    poalint - < letter.txt        lint standard input
    poalint rules                 list every rule
    poalint rule blame-shifting   explain one rule, with examples
    poalint letter.docx --format html -o report.html
                                  the letter with its problems marked, in one page
    poalint serve                 a local page: paste or upload a letter and see the report
    poalint server                the language server for editors (LSP)

    Exit status: 0 every letter passed, 1 a letter failed, 2 a usage, input or rule-file error.
    """


@cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=True, allow_dash=True))
@click.option("--output-format", "--format", "output_format", type=click.Choice(FORMAT_NAMES), default="full",
              show_default=True, envvar="POALINT_OUTPUT_FORMAT", show_envvar=True, help="How to print the results.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write the results to FILE instead of standard output.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Use this configuration file (.poalint.yaml or pyproject.toml) for every letter.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rule ids or categories (comma-separated, repeatable); replaces the config's list.")
@click.option("--ignore", multiple=True, metavar="RULES",
              help="Turn off these rule ids or categories (comma-separated, repeatable), on top of the config's.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="The lowest severity that fails a letter (default: error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when letters fail (errors in input still exit 2).")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule produced.")
@click.option("--baseline", metavar="FILE", help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", metavar="FILE", help="Record every finding of this run in FILE, exit 0.")
@click.option("--changed-since", metavar="REF", help="Lint only letters changed since this git ref (and untracked).")
@click.option("--reason", metavar="ID", help="The suspension reason the letter answers (see `poalint reasons`).")
@click.option("--notice", metavar="FILE", help="The Amazon notice (or rejection) the letters answer, as pasted text.")
@click.option("--previous", metavar="FILE", help="The previous, rejected appeal: copied sentences are reported.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
              help="A folder of extra YAML rule files (repeatable).")
@click.option("--min-score", type=click.FloatRange(0, 100), default=None, metavar="N",
              help="A letter fails below this score (default 70).")
@click.option("--quiet", "-q", is_flag=True, help="Print only letters that fail and their findings.")
@click.option("--max-per-rule", type=click.IntRange(0), default=None, metavar="N",
              help="List at most N findings of one rule per letter, then one that says how many more "
                   "(default 20; 0 = all).")
@click.option("--max-file-size", type=click.IntRange(1), default=2 * 1024 * 1024, show_default=True,
              metavar="BYTES", help="Refuse files larger than this.")
@click.option("--jobs", "-j", type=click.IntRange(0), default=None, metavar="N",
              help="Worker processes (default: the number of CPUs for 32 letters or more, else 1; 0 = that default).")
@click.option("--no-cache", "no_cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", metavar="DIR", envvar="POALINT_CACHE_DIR", show_envvar=True,
              help="Where the result cache lives (default: .poalint_cache/ at the project root).")
def check(paths: Sequence[str], output_format: str, output_file: str | None, config_file: str | None,
          select: Sequence[str], ignore: Sequence[str], fail_on: str | None, exit_zero: bool, statistics: bool,
          baseline: str | None, write_baseline: str | None, changed_since: str | None, reason: str | None, notice: str | None, previous: str | None,
          rule_dirs: Sequence[str], min_score: float | None, quiet: bool, max_file_size: int,
          jobs: int | None = None, no_cache: bool = False, cache_dir: str | None = None,
          max_per_rule: int | None = None) -> None:
    """Lint letters (.txt, .md, .docx, .odt, .rtf, .html, .pdf files, folders of them, or - for standard input)."""
    from poalint.runner import RunConfig, run

    code = run(RunConfig(paths=tuple(paths), output_format=output_format, reason=reason, notice=notice,
                         previous=previous,
                         rule_dirs=tuple(rule_dirs), min_score=min_score, quiet=quiet,
                         max_file_size=max_file_size, color=_use_color(),
                         select=_names(select) if select else None, ignore=_names(ignore), fail_on=fail_on,
                         config_file=config_file, output_file=output_file, statistics=statistics,
                         exit_zero=exit_zero, baseline=baseline, write_baseline=write_baseline,
                         changed_since=changed_since, jobs=jobs or None, cache=not no_cache, cache_dir=cache_dir,
                         max_per_rule=max_per_rule))
    sys.exit(code)


@cli.command("clean")
@click.option("--cache-dir", metavar="DIR", envvar="POALINT_CACHE_DIR", show_envvar=True,
              help="The cache folder to remove (default: .poalint_cache/ at the project root).")
def clean_cache(cache_dir: str | None) -> None:
    """Remove the result cache."""
    from poalint.cache import cache_dir as where
    from poalint.cache import clean

    try:
        click.echo(f"poalint: {clean(where(cache_dir))}")
    except OSError as exc:
        _stderr(f"error: {exc}")
        sys.exit(EXIT_ERROR)


def _names(values: Sequence[str]) -> tuple[str, ...]:
    """`--select a,b --select c` -> (a, b, c)."""
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


@cli.command("config")
@click.argument("path", default=".", type=click.Path(allow_dash=True))
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Show this configuration file instead of the one found for PATH.")
def show_config(path: str, config_file: str | None) -> None:
    """Print the configuration poalint uses for PATH (a letter or folder; default: here), as YAML."""
    import yaml

    from poalint.config import ConfigError
    from poalint.ruleset import RuleFileError
    from poalint.settings import Overrides, Resolver

    try:
        resolver = Resolver(Overrides(config_file=config_file))
        probe = os.path.join(path, "letter.txt") if os.path.isdir(path) else path
        effective = resolver.describe(probe)
        source = resolver.config_for(probe).path
    except (ConfigError, RuleFileError) as exc:
        _stderr(f"error: {exc}")
        sys.exit(EXIT_ERROR)
    click.echo(f"# poalint configuration for {path}")
    click.echo(f"# from {source}" if source else "# no .poalint.yaml or [tool.poalint] found: the defaults")
    click.echo(yaml.safe_dump(effective, sort_keys=False, allow_unicode=True, default_flow_style=None), nl=False)


def _use_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _load_rules(rule_dirs: Sequence[str] = ()) -> Any:
    from poalint.ruleset import RuleFileError, load

    try:
        return load(rule_dirs)
    except RuleFileError as exc:
        _stderr(f"error: {exc}")
        sys.exit(EXIT_ERROR)


@cli.command("rules")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(rule_dirs: Sequence[str], fmt: str) -> None:
    """List every rule: id, category, severity and what it checks."""
    ruleset = _load_rules(rule_dirs)
    rules = sorted(ruleset.rules.values(), key=lambda r: (r.category, r.id))
    if fmt == "json":
        import json

        click.echo(json.dumps([{"id": r.id, "category": r.category, "severity": str(r.severity),
                                "summary": r.summary} for r in rules], indent=2))
        return
    width = max((len(r.id) for r in rules), default=10)
    for r in rules:
        click.echo(f"{r.id:<{width}}  {r.category:<11}  {str(r.severity):<7}  {r.summary}")


@cli.command("rule")
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR")
def show_rule(rule_id: str, rule_dirs: Sequence[str]) -> None:
    """Explain one rule, with an example that fails and one that passes."""
    from poalint.explain import rule_text, unknown_rule

    ruleset = _load_rules(rule_dirs)
    text = rule_text(ruleset, rule_id)
    if text is None:
        _stderr(f"error: {unknown_rule(ruleset, rule_id)}")
        sys.exit(EXIT_ERROR)
    click.echo(text, nl=False)


@cli.command("reasons")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR")
def list_reasons(rule_dirs: Sequence[str]) -> None:
    """List the suspension reasons (rule packs) that --reason, front matter and notices can name."""
    ruleset = _load_rules(rule_dirs)
    width = max((len(r) for r in ruleset.reasons), default=10)
    for rid in sorted(ruleset.reasons):
        click.echo(f"{rid:<{width}}  {ruleset.reasons[rid].title}")


@cli.command("template")
@click.argument("reason")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR")
def template(reason: str, rule_dirs: Sequence[str]) -> None:
    """Print a skeleton letter for a suspension reason; fill every [bracket] before you lint it."""
    from poalint.reasons import unknown_reason
    from poalint.template import skeleton

    ruleset = _load_rules(rule_dirs)
    if reason not in ruleset.reasons:
        _stderr(f"error: {unknown_reason(reason, ruleset)}".replace(", or none", ""))
        sys.exit(EXIT_ERROR)
    click.echo(skeleton(ruleset.reasons[reason]), nl=False)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The interface to listen on. Anything but 127.0.0.1 / localhost lets others reach the page (a warning).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your web browser.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Use this configuration file (default: the one found from here, as for `poalint check`).")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
              help="A folder of extra YAML rule files (repeatable).")
def serve_page(host: str, port: int, open_browser: bool, config_file: str | None, rule_dirs: Sequence[str]) -> None:
    """A local web page: paste or upload a letter, see it with its problems marked. Nothing is stored or sent."""
    from poalint.config import ConfigError
    from poalint.ruleset import RuleFileError
    from poalint.serve import main as serve_main
    from poalint.serve_lint import make_lint, reasons_of
    from poalint.settings import Overrides, Resolver

    try:
        resolver = Resolver(Overrides(config_file=config_file, rule_dirs=tuple(rule_dirs)))
        setup = resolver.setup(resolver.effective(os.path.join(os.getcwd(), "letter.txt")))
    except (ConfigError, RuleFileError) as exc:
        _stderr(f"error: {exc}")
        sys.exit(EXIT_ERROR)
    sys.exit(serve_main(make_lint(setup), host=host, port=port, open_browser=open_browser,
                        reasons=reasons_of(setup.ruleset)))


@cli.command("server", context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def language_server(args: Sequence[str]) -> None:
    """The language server for editors (LSP over stdin/stdout; `poalint server --help` for its options)."""
    try:
        from poalint.lsp import main as lsp_main
    except ImportError:
        _stderr("error: `poalint server` needs the lsp extra: pip install 'poalint[lsp]' (pygls and lsprotocol)")
        sys.exit(EXIT_ERROR)
    lsp_main(list(args))


def main(argv: Sequence[str] | None = None) -> None:
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="poalint")
    except KeyboardInterrupt:
        _stderr("interrupted")
        sys.exit(130)
    except OSError as exc:  # standard output closed or full
        _stderr(f"error: cannot write the results: {exc.strerror or exc}")
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 - never a traceback: one line, exit 2
        _stderr(f"error: {bug_message(exc)}")
        sys.exit(EXIT_ERROR)
