# GoogleTest binaries, run by lit so that one runner counts every test.
import os
import lit.formats

config.name = "streamc-unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = os.path.join(config.streamc_obj_root, "test", "unit")
config.test_exec_root = config.test_source_root
