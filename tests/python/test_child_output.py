"""Output that bypasses System.out: child processes with inheritIO, writes to FileDescriptor.out."""


def test_child_process_stdout(kernel):
    r = kernel.execute_ok('new ProcessBuilder("sh","-c","echo from-child").inheritIO().start().waitFor();')
    assert "from-child" in r.stream(), "child's stdout not shown in this cell\n" + r.describe()
    assert kernel.value_of("1+1") == "2"


def test_child_process_stderr(kernel):
    r = kernel.execute_ok('new ProcessBuilder("sh","-c","echo to-err >&2").inheritIO().start().waitFor();')
    assert "to-err" in r.stream(), "child's stderr not shown in this cell\n" + r.describe()
    assert kernel.value_of("1+1") == "2"


def test_child_process_reading_stdin_does_not_break_protocol(kernel):
    # a child that reads stdin must not steal the worker's protocol input
    r = kernel.execute('new ProcessBuilder("sh","-c","cat; echo cat-done").inheritIO().start().waitFor();', timeout=15)
    assert r.reply is not None, "a child reading stdin hung the cell\n" + r.describe()
    assert kernel.value_of("3+4") == "7"


def test_lots_of_child_output(kernel):
    r = kernel.execute_ok('new ProcessBuilder("sh","-c","seq 1 5000").inheritIO().start().waitFor();', timeout=30)
    nums = [l for l in r.stream().splitlines() if l.strip().isdigit()]
    assert nums[:1] == ["1"] and nums[-1:] == ["5000"] and len(nums) == 5000, r.describe()[:2000]
    assert kernel.value_of("1+2") == "3"


def test_file_descriptor_out(kernel):
    code = ('var fos = new java.io.FileOutputStream(java.io.FileDescriptor.out);\n'
            'fos.write("raw-fd-out\\n".getBytes()); fos.flush();')
    r = kernel.execute_ok(code)
    assert "raw-fd-out" in r.stream(), r.describe()
    assert kernel.value_of("5+5") == "10"
