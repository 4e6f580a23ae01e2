# lit configuration for streamc's FileCheck suites (test/parse, test/sema,
# test/plan, and later test/codegen, test/run, test/repl, test/kafka).
import os
import lit.formats

config.name = "streamc"
config.test_format = lit.formats.ShTest(not lit.util.which("bash"))
config.suffixes = [".stream", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in", "unit"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.streamc_obj_root, "test")

# %run: `streamc run` and a built executable must agree; prints the result.
config.substitutions.append(("%run", "python3 " + os.path.join(config.test_source_root, "run-jit-aot.py") + " " + config.streamc_bin))
config.substitutions.append(("%streamc", config.streamc_bin))
config.substitutions.append(("%examples", os.path.join(config.streamc_src_root, "examples")))
config.substitutions.append(("%stdlib", os.path.join(config.streamc_src_root, "stdlib")))
config.substitutions.append(("%shared", os.path.join(os.path.dirname(config.streamc_src_root), "shared")))
config.substitutions.append(("FileCheck", config.filecheck))
config.substitutions.append(("not ", config.not_tool + " "))

# Diagnostics are compared without colour and independently of the locale.
config.environment["NO_COLOR"] = "1"
config.environment["LC_ALL"] = "C"
