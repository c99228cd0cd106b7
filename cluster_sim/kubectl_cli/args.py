"""A kubectl command line split into its verb, positional words and flags."""

import shlex
from dataclasses import dataclass, field

# Flags that take a value; their short forms. Boolean flags need no entry.
VALUE_FLAGS = {
    "namespace": "n",
    "output": "o",
    "selector": "l",
    "filename": "f",
    "container": "c",
    "replicas": "",
    "to-revision": "",
    "revision": "",
    "field-selector": "",
    "tail": "",
    "grace-period": "",
    "timeout": "",
    "image": "",
    "port": "",
    "target-port": "",
    "type": "",
    "name": "",
}
SHORT = {short: long for long, short in VALUE_FLAGS.items() if short}
BOOL_SHORT = {"A": "all-namespaces", "w": "watch", "h": "help"}


class CliError(Exception):
    """kubectl's error text (printed as is) and its exit code."""

    def __init__(self, text: str, code: int = 1):
        super().__init__(text)
        self.text = text
        self.code = code


@dataclass
class Line:
    words: list[str] = field(default_factory=list)
    flags: dict[str, str | bool] = field(default_factory=dict)

    def flag(self, name: str, default=None):
        return self.flags.get(name, default)


def split(command: str) -> Line:
    """Tokenise like a shell, drop a leading `kubectl`, separate flags from words."""
    if not isinstance(command, str):
        raise CliError("error: a command is a string such as: kubectl get pods")
    try:
        tokens = shlex.split(command)
    except ValueError as exc:
        raise CliError(f"error: {exc}") from None
    if tokens and tokens[0] in ("kubectl", "k"):
        tokens = tokens[1:]
    line = Line()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            line.words += tokens[index:]
            break
        if token.startswith("--") and len(token) > 2:
            name, has_value, value = token[2:].partition("=")
            if name in VALUE_FLAGS and not has_value:
                if index >= len(tokens):
                    raise CliError(f"error: flag needs an argument: --{name}")
                value, index = tokens[index], index + 1
            line.flags[name] = value if (has_value or name in VALUE_FLAGS) else True
            if has_value and name not in VALUE_FLAGS:
                line.flags[name] = value.lower() not in ("false", "0")
        elif token.startswith("-") and len(token) > 1 and token != "-":
            short, rest = token[1], token[2:]
            if short in SHORT:
                if rest.startswith("="):
                    rest = rest[1:]
                if not rest:
                    if index >= len(tokens):
                        raise CliError(f"error: flag needs an argument: '{short}' in -{short}")
                    rest, index = tokens[index], index + 1
                line.flags[SHORT[short]] = rest
            elif short in BOOL_SHORT and not rest:
                line.flags[BOOL_SHORT[short]] = True
            else:
                raise CliError(f"error: unknown shorthand flag: '{short}' in {token}")
        else:
            line.words.append(token)
    return line


def integer_flag(line: Line, name: str) -> int | None:
    value = line.flag(name)
    if value is None:
        return None
    try:
        return int(str(value))
    except ValueError:
        raise CliError(
            f'error: invalid argument "{value}" for "--{name}" flag: '
            f'strconv.ParseInt: parsing "{value}": invalid syntax'
        ) from None
