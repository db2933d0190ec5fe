"""Run a GitHub Actions workflow as a fresh runner runs it, on this machine.

Each job starts from nothing: an empty workspace, a new HOME, a runner-like PATH without this
project's virtual environment or pyenv (so `python` is missing until `actions/setup-python`,
and Debian's own python3 refuses `pip install`), then its steps run in order — `run:` steps
with `bash -eo pipefail` as the runner does, `uses:` steps by the emulations in USES:

| action | emulated by |
| --- | --- |
| actions/checkout | `git clone` of the repository at the event's ref into the workspace; `fetch-depth` kept (1 by default: one branch, one commit) |
| actions/setup-python | a new `python -m venv`, first on PATH (the version asked must be this machine's) |
| actions/setup-node, actions/setup-java | node and npm, or java, must be on the machine (nothing is downloaded) |
| actions/configure-pages | outputs base_url `https://OWNER.github.io/REPO`, base_path, origin, host |
| actions/upload-artifact, actions/upload-pages-artifact | the path must exist and not be empty; recorded |
| actions/deploy-pages | a `github-pages` artifact must have been uploaded by a needed job; outputs page_url |

A job with `container: python:3.11-…` gets its venv first on PATH from the start, as the image's
own python. `${{ }}` expressions are evaluated (contexts github, steps, needs, env, runner; the
functions success, failure, always, cancelled, contains, startsWith); a reference to a step id
the job does not have is an error, as is an action or a context the emulator does not know.
`$GITHUB_OUTPUT`, `$GITHUB_ENV`, `$GITHUB_PATH` and `$GITHUB_STEP_SUMMARY` work as on a runner.

`apt-get update` / `apt-get install` lines are skipped when every package they name is already
on the machine (APT_TOOLS: chromium, a Java runtime, npm); a package that is not is an error: the
emulator never installs system packages. A pull request's checkout is its head commit (the
runner's merge commit equals it when the branch starts from the base's tip).

Command line: `python tests/workflows.py .github/workflows/verifier.yml [--event pull_request]
[--job JOB] [--head BRANCH] [--base main] [--replace "STEP=COMMAND"]` (also `python3 dev.py workflow`).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

RUNNER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
KEPT_ENV = ("LANG", "TZ", "PIP_FIND_LINKS", "PIP_CERT", "PIP_DEFAULT_TIMEOUT", "PIP_INDEX_URL",
            "PIP_EXTRA_INDEX_URL", "PIP_CONSTRAINT", "PIP_CONFIG_FILE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")
# Debian package -> a file or command that shows it is installed.
APT_TOOLS = {"chromium": "/usr/bin/chromium", "default-jre-headless": "java", "default-jre": "java",
             "openjdk-17-jre-headless": "java", "npm": "npm", "nodejs": "node", "git": "git"}
_APT = re.compile(r"^\s*(?:sudo\s+)?(?:DEBIAN_FRONTEND=\S+\s+)?apt(?:-get)?\s+(update|install)\b(.*)$")


class WorkflowError(Exception):
    """A workflow the emulator cannot run as written (unknown action, context, step id, event)."""


@dataclass(frozen=True)
class Event:
    """What triggers the run: its name, the branch checked out and, for a pull request, the base."""

    name: str = "push"
    head: str = "main"
    base: str = ""
    number: int = 1


@dataclass
class StepResult:
    job: str
    name: str
    status: str  # ok, failed, skipped, failed (allowed)
    seconds: float
    note: str = ""
    log: str = ""


@dataclass
class Job:
    """The state of one job while it runs."""

    name: str
    spec: dict[str, Any]
    root: Path
    env: dict[str, str]
    path: list[str]
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {outputs, outcome, conclusion}
    failed: bool = False
    summary: str = ""
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"


@dataclass
class Run:
    """A finished run: every step's result, each job's summary, the uploaded artifacts."""

    steps: list[StepResult] = field(default_factory=list)
    summaries: dict[str, str] = field(default_factory=dict)
    artifacts: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(s.status != "failed" for s in self.steps)

    def report(self) -> str:
        lines = [f"{s.job} · {s.name}: {s.status} ({s.seconds:.1f} s){' — ' + s.note if s.note else ''}"
                 for s in self.steps]
        failed = [s for s in self.steps if s.status == "failed"]
        for s in failed:
            lines += [f"--- log of {s.job} · {s.name} (last lines) ---", s.log[-4000:]]
        return "\n".join(lines)


# --- expressions ------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||[!()\[\],.])"
                    r"|(?P<name>[A-Za-z_][\w-]*))")


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise WorkflowError(f"expression {text!r}: cannot read from {text[pos:]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class Expression:
    """A recursive-descent reader of the expression language, over a lookup of contexts."""

    def __init__(self, text: str, lookup: Callable[[list[str]], Any], status: dict[str, bool]) -> None:
        self.tokens, self.at, self.lookup, self.status, self.text = _tokens(text), 0, lookup, status, text

    def value(self) -> Any:
        result = self._or()
        if self.at != len(self.tokens):
            raise WorkflowError(f"expression {self.text!r}: unexpected {self.tokens[self.at][1]!r}")
        return result

    def _peek(self) -> str:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else ""

    def _take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.tokens) or (expected and self.tokens[self.at][1] != expected):
            raise WorkflowError(f"expression {self.text!r}: expected {expected or 'more'}")
        self.at += 1
        return self.tokens[self.at - 1]

    def _or(self) -> Any:
        left = self._and()
        while self._peek() == "||":
            self._take()
            right = self._and()
            left = left or right
        return left

    def _and(self) -> Any:
        left = self._not()
        while self._peek() == "&&":
            self._take()
            right = self._not()
            left = left and right
        return left

    def _not(self) -> Any:
        if self._peek() == "!":
            self._take()
            return not self._not()
        left = self._primary()
        if self._peek() in ("==", "!="):
            op = self._take()[1]
            right = self._primary()
            same = str(left).lower() == str(right).lower() if isinstance(left, str) or isinstance(right, str) \
                else left == right
            return same if op == "==" else not same
        return left

    def _primary(self) -> Any:
        kind, text = self._take()
        if text == "(":
            inner = self._or()
            self._take(")")
            return inner
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if self._peek() == "(":
            return self._call(text)
        path = [text]
        while self._peek() in (".", "["):
            if self._take()[1] == ".":
                path.append(self._take()[1])
            else:
                path.append(str(self._primary()))
                self._take("]")
        return self.lookup(path)

    def _call(self, name: str) -> Any:
        self._take("(")
        args = []
        while self._peek() != ")":
            args.append(self._or())
            if self._peek() == ",":
                self._take()
        self._take(")")
        calls: dict[str, Callable[..., Any]] = {
            "success": lambda: self.status["success"], "failure": lambda: not self.status["success"],
            "always": lambda: True, "cancelled": lambda: False,
            "contains": lambda a, b: str(b).lower() in (str(a).lower() if isinstance(a, str) else [str(x).lower()
                                                                                                for x in a]),
            "startsWith": lambda a, b: str(a).lower().startswith(str(b).lower()),
        }
        if name not in calls:
            raise WorkflowError(f"expression {self.text!r}: function {name}() is not emulated")
        return calls[name](*args)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def expand(text: str, lookup: Callable[[list[str]], Any], status: dict[str, bool]) -> str:
    """Every ${{ … }} of text replaced by its value, as the runner does before running a step."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: _text(Expression(m.group(1), lookup, status).value()), text)


def condition(text: Any, lookup: Callable[[list[str]], Any], status: dict[str, bool]) -> bool:
    """A step's or job's `if:`; without a status function it means success() && (it)."""
    if text is None:
        return status["success"]
    source = str(text).strip()
    if source.startswith("${{") and source.endswith("}}"):
        source = source[3:-2]
    value = bool(Expression(source, lookup, status).value())
    if not re.search(r"\b(success|failure|always|cancelled)\(", source):
        value = value and status["success"]
    return value


# --- the runner ---------------------------------------------------------------------------------

class Runner:
    """Runs the jobs of one workflow file against one repository, for one event."""

    def __init__(self, workflow: Path, repo: Path, event: Event, work: Path, owner_repo: str = "exemple/atlas",
                 replace: dict[str, str] | None = None, log: Callable[[str], None] = lambda _: None) -> None:
        self.spec = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        self.spec["on"] = self.spec.pop(True, self.spec.get("on"))  # YAML 1.1 reads `on` as true
        self.workflow, self.repo, self.event, self.work = workflow, repo.resolve(), event, work
        self.owner_repo, self.replace, self.log = owner_repo, replace or {}, log
        self.run = Run()
        self.done: dict[str, Job] = {}

    def triggered(self) -> bool:
        """Whether the workflow's `on:` runs for this event (and branch, for a push)."""
        on = self.spec["on"]
        events = {on: None} if isinstance(on, str) else ({e: None for e in on} if isinstance(on, list) else on)
        if self.event.name not in events:
            return False
        branches = (events[self.event.name] or {}).get("branches") if isinstance(events[self.event.name], dict) \
            else None
        target = self.event.base if self.event.name == "pull_request" else self.event.head
        return branches is None or target in branches

    def order(self, only: list[str] | None) -> list[str]:
        """Job ids with every job after the jobs it needs (and the needed ones of `only` included)."""
        jobs = self.spec["jobs"]
        wanted: list[str] = []

        def visit(name: str) -> None:
            if name not in jobs:
                raise WorkflowError(f"{self.workflow.name}: no job '{name}'")
            needs = jobs[name].get("needs", [])
            for need in [needs] if isinstance(needs, str) else needs:
                visit(need)
            if name not in wanted:
                wanted.append(name)
        for name in only or list(jobs):
            visit(name)
        return wanted

    def validate(self) -> None:
        """Before anything runs: every `steps.ID` a step reads names a step before it in its job."""
        for name, job in self.spec["jobs"].items():
            seen: set[str] = set()
            for step in job.get("steps", []):
                text = yaml.safe_dump({k: v for k, v in step.items() if k != "id"}, allow_unicode=True)
                for ref in re.findall(r"\bsteps\.([\w-]+)", " ".join(re.findall(r"\$\{\{(.*?)\}\}", text))
                                      + " " + str(step.get("if", ""))):
                    if ref not in seen:
                        raise WorkflowError(f"job {name}: `steps.{ref}` names no step id before it")
                if "id" in step:
                    seen.add(step["id"])

    def execute(self, only: list[str] | None = None) -> Run:
        if not self.triggered():
            raise WorkflowError(f"{self.workflow.name} does not run on {self.event.name} of {self.event.head}")
        self.validate()
        for name in self.order(only):
            self.run_job(name)
        return self.run

    # contexts

    def _github(self, job: Job) -> dict[str, Any]:
        event = self.event
        return {"event_name": event.name, "ref": f"refs/heads/{event.head}",
                "ref_name": event.head, "head_ref": event.head if event.name == "pull_request" else "",
                "base_ref": event.base if event.name == "pull_request" else "",
                "repository": self.owner_repo, "repository_owner": self.owner_repo.split("/")[0],
                "workspace": str(job.workspace), "run_id": "1", "run_number": "1", "sha": "",
                "event": {"pull_request": {"number": event.number}} if event.name == "pull_request" else {}}

    def lookup(self, job: Job) -> Callable[[list[str]], Any]:
        def find(path: list[str]) -> Any:
            head, rest = path[0], path[1:]
            if head == "steps":
                if not rest or rest[0] not in job.steps:
                    raise WorkflowError(f"job {job.name}: `steps.{'.'.join(rest)}` names no step id before it")
                value: Any = job.steps[rest[0]]
                rest = rest[1:]
            elif head == "needs":
                if not rest or rest[0] not in self.done:
                    raise WorkflowError(f"job {job.name}: `needs.{rest[0] if rest else ''}` is not a finished job")
                value = {"outputs": self.done[rest[0]].outputs,
                         "result": "failure" if self.done[rest[0]].failed else "success"}
            elif head == "github":
                value = self._github(job)
            elif head == "env":
                value = job.env
            elif head == "runner":
                value = {"temp": job.env["RUNNER_TEMP"], "os": "Linux", "arch": "X64"}
            elif head in ("secrets", "vars", "inputs", "matrix"):
                value = {}
            else:
                raise WorkflowError(f"context '{head}' is not emulated")
            for key in rest:
                value = value.get(key) if isinstance(value, dict) else None
            return value
        return find

    # jobs and steps

    def new_job(self, name: str) -> Job:
        root = self.work / name
        for folder in ("workspace", "home", "temp", "tool"):
            (root / folder).mkdir(parents=True)
        env = {k: os.environ[k] for k in KEPT_ENV if k in os.environ}
        env.update({"HOME": str(root / "home"), "CI": "true", "GITHUB_ACTIONS": "true",
                    "GITHUB_WORKSPACE": str(root / "workspace"), "RUNNER_TEMP": str(root / "temp"),
                    "RUNNER_OS": "Linux", "GITHUB_EVENT_NAME": self.event.name,
                    "GITHUB_REPOSITORY": self.owner_repo, "GITHUB_REF": f"refs/heads/{self.event.head}",
                    "GITHUB_HEAD_REF": self.event.head if self.event.name == "pull_request" else "",
                    "GITHUB_BASE_REF": self.event.base if self.event.name == "pull_request" else "",
                    "DEBIAN_FRONTEND": "noninteractive"})
        env.setdefault("LANG", "C.UTF-8")
        job = Job(name, self.spec["jobs"][name], root, env, RUNNER_PATH.split(":"))
        container = job.spec.get("container")
        if container is not None:
            image = container if isinstance(container, str) else container.get("image", "")
            match = re.fullmatch(r"python:(\d+\.\d+)(?:[.-].*)?", image)
            mine = f"{sys.version_info.major}.{sys.version_info.minor}"
            if not match or match.group(1) != mine:
                raise WorkflowError(f"job {name}: container {image!r} is not emulated (python:{mine}-… is)")
            job.path.insert(0, str(self._venv(job)))
        return job

    def _venv(self, job: Job) -> Path:
        venv = job.root / "tool" / "python"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        return venv / "bin"

    def run_job(self, name: str) -> None:
        job = self.new_job(name)
        status = {"success": all(not self.done[n].failed for n in self.order([name])[:-1])}
        if not condition(job.spec.get("if"), self.lookup(job), status):
            self.run.steps.append(StepResult(name, "(job)", "skipped", 0.0, "its if: is false"))
            self.done[name] = job
            return
        deadline = time.monotonic() + 60 * float(job.spec.get("timeout-minutes", 360))
        for env_name, value in {**self.spec.get("env", {}), **job.spec.get("env", {})}.items():
            job.env[env_name] = expand(str(value), self.lookup(job), status)
        for index, step in enumerate(job.spec["steps"]):
            self.run_step(job, index, step, deadline)
        self.run.summaries[name] = job.summary
        outputs = job.spec.get("outputs", {})
        job.outputs = {k: expand(str(v), self.lookup(job), {"success": True}) for k, v in outputs.items()}
        self.done[name] = job

    def run_step(self, job: Job, index: int, step: dict[str, Any], deadline: float) -> None:
        label = step.get("name") or step.get("uses") or (step.get("run", "").splitlines() or [""])[0]
        status = {"success": not job.failed}
        lookup = self.lookup(job)
        step_id = step.get("id", f"__step{index}")
        if not condition(step.get("if"), lookup, status):
            self.run.steps.append(StepResult(job.name, label, "skipped", 0.0))
            job.steps[step_id] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
            return
        start = time.monotonic()
        outputs: dict[str, str] = {}
        note, log, ok = "", "", True
        try:
            if "uses" in step:
                note = self.use(job, step, outputs, lookup, status)
            else:
                ok, note, log = self.shell(job, step, label, outputs, lookup, status, deadline)
        except WorkflowError:
            raise
        except Exception as exc:  # an emulated action failing, as the real one would
            ok, note = False, str(exc)
        allowed = bool(step.get("continue-on-error")) and not ok
        outcome = "success" if ok else "failure"
        job.steps[step_id] = {"outputs": outputs, "outcome": outcome,
                              "conclusion": "success" if ok or allowed else "failure"}
        if not ok and not allowed:
            job.failed = True
        result = "ok" if ok else ("failed (allowed)" if allowed else "failed")
        self.run.steps.append(StepResult(job.name, label, result, time.monotonic() - start, note, log))
        self.log(f"{job.name} · {label}: {result} ({time.monotonic() - start:.1f} s)")

    def shell(self, job: Job, step: dict[str, Any], label: str, outputs: dict[str, str],
              lookup: Callable[[list[str]], Any], status: dict[str, bool], deadline: float) -> tuple[bool, str, str]:
        if step.get("shell", "bash") != "bash":
            raise WorkflowError(f"step {label!r}: shell {step['shell']!r} is not emulated")
        script = self.replace.get(label, step["run"])
        script, note = skip_apt(expand(script, lookup, status))
        if label in self.replace:
            note = (note + "; " if note else "") + "command replaced for the emulation"
        files = {name: job.root / "temp" / f"{name.lower()}-{len(job.steps)}" for name in
                 ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
        for path in files.values():
            path.write_text("", encoding="utf-8")
        env = dict(job.env)
        for key, value in step.get("env", {}).items():
            env[key] = expand(str(value), lookup, status)
        env.update({name: str(path) for name, path in files.items()})
        env["PATH"] = ":".join(job.path)
        script_file = job.root / "temp" / f"step-{len(job.steps)}.sh"
        script_file.write_text(script, encoding="utf-8")
        cwd = job.workspace / step.get("working-directory", ".")
        limit = min(deadline, time.monotonic() + 60 * float(step.get("timeout-minutes", 360))) - time.monotonic()
        try:
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)], cwd=cwd,
                                  env=env, capture_output=True, text=True, timeout=max(limit, 1))
            ok, log = done.returncode == 0, done.stdout + done.stderr
        except subprocess.TimeoutExpired as exc:
            ok, log = False, f"timed out after {exc.timeout:.0f} s"
        outputs.update(_key_values(files["GITHUB_OUTPUT"].read_text(encoding="utf-8")))
        job.env.update(_key_values(files["GITHUB_ENV"].read_text(encoding="utf-8")))
        job.path[:0] = [line for line in files["GITHUB_PATH"].read_text(encoding="utf-8").splitlines() if line]
        job.summary += files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")
        return ok, note, log

    def use(self, job: Job, step: dict[str, Any], outputs: dict[str, str], lookup: Callable[[list[str]], Any],
            status: dict[str, bool]) -> str:
        action = step["uses"].split("@")[0]
        if action not in USES:
            raise WorkflowError(f"action {step['uses']} is not emulated (tests/workflows.py: USES)")
        inputs = {k: expand(str(v), lookup, status) for k, v in (step.get("with") or {}).items()}
        return USES[action](self, job, inputs, outputs)


def _key_values(text: str) -> dict[str, str]:
    """`name=value` lines and `name<<END … END` blocks, as $GITHUB_OUTPUT and $GITHUB_ENV hold them."""
    found: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, end = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == end:
                    break
                block.append(inner)
            found[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            found[name] = value
    return found


def skip_apt(script: str) -> tuple[str, str]:
    """The script without its apt-get lines when what they install is on the machine; else an error."""
    lines, skipped = [], []
    for line in script.splitlines():
        match = _APT.match(line)
        if not match:
            lines.append(line)
            continue
        if match.group(1) == "install":
            packages = [w for w in shlex.split(match.group(2)) if not w.startswith("-")]
            absent = [p for p in packages if p not in APT_TOOLS or not _present(APT_TOOLS[p])]
            if absent:
                raise RuntimeError(f"apt packages not on this machine: {', '.join(absent)} (the emulator "
                                   "installs no system package)")
            skipped += packages
        lines.append(": # apt-get skipped by the emulator: already on the machine")
    note = f"apt-get skipped, already installed: {', '.join(skipped)}" if skipped else ""
    return "\n".join(lines) + "\n", note


def _present(tool: str) -> bool:
    return Path(tool).exists() if tool.startswith("/") else shutil.which(tool, path=RUNNER_PATH) is not None


# --- the emulated actions ---------------------------------------------------------------------------

def checkout(runner: Runner, job: Job, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    depth = int(inputs.get("fetch-depth", "1"))
    source = runner.repo.as_uri()
    if depth == 0:
        cmd = ["git", "clone", "--quiet", "--no-local", source, str(job.workspace)]
    else:
        cmd = ["git", "clone", "--quiet", f"--depth={depth}", "--single-branch", f"--branch={runner.event.head}",
               source, str(job.workspace)]
    shutil.rmtree(job.workspace)
    subprocess.run(cmd, check=True, capture_output=True, env={**job.env, "PATH": RUNNER_PATH})
    if depth == 0:
        subprocess.run(["git", "-C", str(job.workspace), "checkout", "--quiet", runner.event.head], check=True,
                       capture_output=True, env={**job.env, "PATH": RUNNER_PATH})
    return f"clone of {runner.event.head}, fetch-depth {depth}"


def setup_python(runner: Runner, job: Job, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    asked = inputs.get("python-version", "")
    mine = f"{sys.version_info.major}.{sys.version_info.minor}"
    if asked and not (mine + ".").startswith(asked.rstrip(".x") + "."):
        raise RuntimeError(f"python-version {asked} asked, this machine has {mine}")
    bin_dir = runner._venv(job)
    job.path.insert(0, str(bin_dir))
    job.env["pythonLocation"] = str(bin_dir.parent)
    outputs["python-version"] = sys.version.split()[0]
    return f"venv of Python {sys.version.split()[0]}"


def _tool(command: str, *version: str) -> str:
    found = shutil.which(command, path=RUNNER_PATH)
    if found is None:
        raise RuntimeError(f"{command} is not on this machine (the emulator downloads nothing)")
    done = subprocess.run([found, *version], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else found


def setup_node(runner: Runner, job: Job, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    _tool("npm", "--version")
    return f"node on the machine: {_tool('node', '--version')}"


def setup_java(runner: Runner, job: Job, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    return f"java on the machine: {_tool('java', '-version')}"


def configure_pages(runner: Runner, job: Job, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    owner, repo = runner.owner_repo.split("/")
    outputs.update({"base_url": f"https://{owner}.github.io/{repo}", "origin": f"https://{owner}.github.io",
                    "host": f"{owner}.github.io", "base_path": f"/{repo}"})
    return outputs["base_url"]


def _artifact(job: Job, path: str) -> Path:
    found = job.workspace / path
    if not found.exists() or (found.is_dir() and not any(found.iterdir())):
        raise RuntimeError(f"artifact path {path!r} does not exist or is empty in the workspace")
    return found


def upload_artifact(runner: Runner, job: Job, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    name = inputs.get("name", "artifact")
    runner.run.artifacts[name] = _artifact(job, inputs.get("path", ""))
    return f"artifact {name}: {inputs.get('path')}"


def upload_pages_artifact(runner: Runner, job: Job, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    found = _artifact(job, inputs.get("path", "_site"))
    if not found.is_dir() or not (found / "index.html").is_file():
        raise RuntimeError(f"{inputs.get('path')} is not a site folder with an index.html")
    runner.run.artifacts["github-pages"] = found
    return f"pages artifact: {inputs.get('path')}"


def deploy_pages(runner: Runner, job: Job, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    if "github-pages" not in runner.run.artifacts:
        raise RuntimeError("no github-pages artifact was uploaded by a job this one needs")
    if (job.spec.get("environment") or {}).get("name") != "github-pages":
        raise RuntimeError("deploy-pages needs `environment: github-pages` on its job")
    owner, repo = runner.owner_repo.split("/")
    outputs["page_url"] = f"https://{owner}.github.io/{repo}/"
    return outputs["page_url"]


USES: dict[str, Callable[[Runner, Job, dict[str, str], dict[str, str]], str]] = {
    "actions/checkout": checkout, "actions/setup-python": setup_python, "actions/setup-node": setup_node,
    "actions/setup-java": setup_java, "actions/configure-pages": configure_pages,
    "actions/upload-artifact": upload_artifact, "actions/upload-pages-artifact": upload_pages_artifact,
    "actions/deploy-pages": deploy_pages,
}


def run_workflow(workflow: Path, repo: Path, event: Event, work: Path, jobs: list[str] | None = None,
                 replace: dict[str, str] | None = None, owner_repo: str = "exemple/atlas",
                 log: Callable[[str], None] = lambda _: None) -> Run:
    """Run a workflow's jobs (all, or `jobs` and those they need) and return what happened."""
    return Runner(workflow, repo, event, work, owner_repo, replace, log).execute(jobs)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("workflow", type=Path)
    p.add_argument("--repo", type=Path, default=Path("."), help="the git repository to check out (default: .)")
    p.add_argument("--event", default="pull_request", choices=("pull_request", "push", "schedule",
                                                               "workflow_dispatch"))
    p.add_argument("--head", help="branch checked out (default: the current branch)")
    p.add_argument("--base", default="main", help="a pull request's base branch (default: main)")
    p.add_argument("--job", action="append", help="run this job (and the jobs it needs); repeatable")
    p.add_argument("--replace", action="append", default=[], metavar="STEP=COMMAND",
                   help="run COMMAND instead of the named step's run: (e.g. a shorter test selection)")
    args = p.parse_args(argv)
    head = args.head or subprocess.run(["git", "-C", str(args.repo), "branch", "--show-current"],
                                       capture_output=True, text=True, check=True).stdout.strip()
    replace = dict(item.split("=", 1) for item in args.replace)
    with tempfile.TemporaryDirectory(prefix="workflow-") as tmp:
        run = run_workflow(args.workflow, args.repo, Event(args.event, head, args.base), Path(tmp), args.job,
                           replace, log=lambda line: print(line, flush=True))
        print(run.report())
        for job, text in run.summaries.items():
            if text:
                print(f"--- summary of {job} ---\n{text}")
    return 0 if run.ok else 1


if __name__ == "__main__":
    sys.exit(main())
