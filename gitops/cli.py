"""The `gitops` command: wires the commands together and turns errors into exit codes.

Exit codes: 0 clean; 1 findings at or above --fail-on, or drift; 2 input or usage error;
3 internal error (a bug).
"""
from __future__ import annotations

import os
import sys
import traceback
from typing import Any, NoReturn, Sequence

import click

from . import __version__
from . import commands
from .errors import GitopsError
from .lifetime import start_run_folder

# Where bugs go: the issue tracker of the repository gitops was installed from (it has no fixed
# public home); GITOPS_ISSUES_URL names it where a team publishes its own.
ISSUES = "the issue tracker of the repository you installed gitops from"


def _issues() -> str:
    url = os.environ.get("GITOPS_ISSUES_URL", "").strip()
    return url if url.startswith("https://") else ISSUES


def _debug_anywhere(argv: list[str]) -> tuple[list[str], bool]:
    """`--debug` before or after the subcommand (not after a `--`): moved to the front, where the
    group option is, so `gitops check --debug` works like `gitops --debug check`."""
    end = argv.index("--") if "--" in argv else len(argv)
    if "--debug" not in argv[:end]:
        return argv, False
    rest = [a for a in argv[:end] if a != "--debug"] + argv[end:]
    return ["--debug", *rest], True


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(commands.COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return commands.load(cmd_name)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> NoReturn:
        if args is None:  # a real `gitops` process (tests pass args): its own temporary folder
            start_run_folder()
        argv, debug = _debug_anywhere(list(sys.argv[1:] if args is None else args))
        try:
            code = super().main(args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                                **extra)
            sys.exit(code if isinstance(code, int) else 0)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(2)
        except click.exceptions.Abort:
            click.echo("aborted", err=True)
            sys.exit(2)
        except GitopsError as exc:
            if debug:
                traceback.print_exc()
            for problem in exc.problems:
                click.echo(f"error: {problem}" if not problem.file else str(problem), err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug in this tool: say so, and where it happened
            if debug:
                traceback.print_exc()
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            click.echo(f"internal error: {type(exc).__name__}: {exc} (at {frame.filename}:{frame.lineno}). "
                       f"This is a bug in gitops {__version__}, not in your input: please report it at {_issues()} "
                       "with the command you ran and its output with --debug (which shows the traceback).", err=True)
            sys.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="gitops")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("-C", "--project", "project", default=None, metavar="DIR",
              help="Project folder (default: the nearest folder with gitops.yaml).")
@click.pass_context
def main(ctx: click.Context, debug: bool, project: str | None) -> None:
    """Python app specs to checked, committed Kubernetes manifests."""
    ctx.obj = {"debug": debug, "project": project}

