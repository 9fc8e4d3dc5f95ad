"""Checks Pulumi Python programs against the installed SDKs without running them (running one needs an
engine): each compiles (a SyntaxError fails the check); every module it imports imports; every attribute it reads from an imported module
exists (skymount.SkyCompute, skymount.ComputeProvider.AWS); every keyword a call passes to a class of one
is a parameter of it (a resource's: of its Args class), and no required one is missing; every attribute
read from a resource it declares is an output of that resource. Prints one line per problem; exit 1 if any.

Usage: python3 checkPythonProgram.py <program.py>..."""
import ast
import importlib
import inspect
import sys


def attribute_chain(node):
    """["skymount", "ComputeProvider", "AWS"] for skymount.ComputeProvider.AWS, else None."""
    names = []
    while isinstance(node, ast.Attribute):
        names.insert(0, node.attr)
        node = node.value
    return [node.id] + names if isinstance(node, ast.Name) else None


def is_generated_sdk(module):
    """A package Pulumi's Python generator wrote (pulumi_<name>), whose classes the checks know."""
    return module.__name__.startswith("pulumi_")


def parameters_of(cls):
    """A class's keyword parameters and the required ones; a resource's come from its Args class."""
    module = sys.modules[cls.__module__]
    args_class = getattr(module, cls.__name__ + "Args", None)
    target = args_class if args_class is not None and hasattr(cls, "_internal_init") else cls
    signature = inspect.signature(target.__init__)
    params = {n: p for n, p in signature.parameters.items() if n not in ("self", "__self__")}
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return None, set()
    required = {n for n, p in params.items() if p.default is p.empty and p.kind != p.VAR_POSITIONAL}
    return set(params), required


def check(path):
    problems = []
    source = open(path).read()
    # Compiled in memory (py_compile would write a __pycache__ into the example).
    compile(source, path, "exec")
    tree = ast.parse(source, path)
    modules = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name] = importlib.import_module(alias.name)
    resources = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain = attribute_chain(node)
            if chain and chain[0] in modules:
                value = modules[chain[0]]
                for i, name in enumerate(chain[1:], 1):
                    if not hasattr(value, name):
                        problems.append(f"{path}:{node.lineno}: {'.'.join(chain[: i + 1])} does not exist")
                        break
                    value = getattr(value, name)
        if isinstance(node, ast.Call):
            chain = attribute_chain(node.func)
            if not chain or chain[0] not in modules or len(chain) != 2:
                continue
            cls = getattr(modules[chain[0]], chain[1], None)
            if not inspect.isclass(cls) or not is_generated_sdk(modules[chain[0]]):
                continue
            params, required = parameters_of(cls)
            if params is None:
                continue
            passed = {k.arg for k in node.keywords if k.arg}
            for keyword in sorted(passed - params):
                problems.append(f"{path}:{node.lineno}: {'.'.join(chain)} has no parameter {keyword}")
            for name in sorted(required - passed):
                problems.append(f"{path}:{node.lineno}: {'.'.join(chain)} needs {name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1:
            chain = attribute_chain(node.value.func)
            target = node.targets[0]
            if chain and chain[0] in modules and len(chain) == 2 and isinstance(target, ast.Name):
                cls = getattr(modules[chain[0]], chain[1], None)
                if inspect.isclass(cls) and hasattr(cls, "_internal_init"):
                    resources[target.id] = cls
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in resources:
            cls = resources[node.value.id]
            if not isinstance(inspect.getattr_static(cls, node.attr, None), property):
                problems.append(f"{path}:{node.lineno}: {node.value.id}.{node.attr} is not an output of {cls.__name__}")
    return problems


def main():
    problems = []
    for path in sys.argv[1:]:
        problems += check(path)
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
