# papercast: `make demo` sets up and speaks a bundled sample; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
SAMPLE ?= samples/broadcaster-lagoon.txt

.PHONY: demo test install bench clean

SOURCES = pyproject.toml $(shell find src voices lexicon -type f -not -name '*.pyc' 2>/dev/null)

$(BIN)/papercast: $(SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $(BIN)/papercast

install: $(BIN)/papercast

demo: install
	mkdir -p out
	$(BIN)/papercast speak $(SAMPLE) -o out/demo.mp3 --transcript vtt,json --chapters-json --page
	@echo "episode: out/demo.mp3 (captions out/demo.vtt, word transcript out/demo.transcript.json, chapters out/demo.chapters.json, read-along page out/demo.html)"

# -n auto: one test process per CPU of the budget (tests/conftest.py reads affinity and cgroup
# quota as papercast does); a file runs in one process, so its module fixtures are built once
test: install
	$(BIN)/python -m pytest -q -n auto --dist loadfile

bench: install
	$(BIN)/python benchmarks/segmentation.py
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/normalization.py
	$(BIN)/python benchmarks/speed.py

clean:
	rm -rf $(VENV) out build dist
