"""A stand-in for streamc whose JIT run and built executable write different
bytes to the same file sink (out.txt): run-jit-aot.py must tell them apart.

usage: fake-streamc.py run PROGRAM | build PROGRAM -o EXE
"""
import os
import stat
import sys


def write_output(text):
    with open("out.txt", "w") as f:
        f.write(text)
    with open(os.environ["STREAMC_TEST_OUTPUT_LOG"], "a") as log:
        log.write("out.txt\n")


if sys.argv[1] == "run":
    write_output(os.environ.get("FAKE_JIT_TEXT", "same\n"))
elif sys.argv[1] == "build":
    exe = sys.argv[sys.argv.index("-o") + 1]
    with open(exe, "w") as f:
        f.write(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {os.path.dirname(__file__)!r})\n"
                "import runpy\nsys.argv = ['fake', 'aot']\n"
                f"runpy.run_path({__file__!r}, run_name='__main__')\n")
    os.chmod(exe, os.stat(exe).st_mode | stat.S_IEXEC)
elif sys.argv[1] == "aot":
    write_output("same\n")
