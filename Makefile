# One entry point for every task. `make` alone lists the targets.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
COMPANION := $(VENV)/bin/companion
STAMP := $(VENV)/.installed
DEMO_HOME ?= demo-home
OUT ?= out
SAMPLE_KEY := $(OUT)/keys/sample-trainer
PACK_SOURCES := $(wildcard lessons/*/pack.toml)
LOCK := requirements/lock.txt

.DEFAULT_GOAL := help
.PHONY: help system-check venv run test lint bench sample-packs demo-home sample-media \
        screenshots translations package lock clean

help: ## list the targets
	@echo "make <target>:"
	@grep -E '^[a-z][a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

system-check: ## say which system packages are missing
	@$(PYTHON) tools/check_system.py

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) tools/check_system.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e '.[dev,hub]'
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install the app with its test tools

sample-packs: $(STAMP) ## build the sample lesson packs from lessons/ into out/packs
	@mkdir -p $(OUT)/keys $(OUT)/packs
	@test -f $(SAMPLE_KEY).key || $(COMPANION) keys generate sample-trainer -o $(OUT)/keys
	@for src in $(dir $(PACK_SOURCES)); do \
	  $(COMPANION) pack build $$src -o $(OUT)/packs --key $(SAMPLE_KEY).key || exit 1; \
	done

demo-home: sample-packs ## a portable home in demo-home/ with the sample packs imported
	@$(COMPANION) --home $(DEMO_HOME) keys trust $(SAMPLE_KEY).pub
	@$(COMPANION) --home $(DEMO_HOME) pack import $(OUT)/packs

run: demo-home ## set everything up and start the app with the sample packs
	$(COMPANION) --home $(DEMO_HOME)

test: $(STAMP) ## install the test tools and run the whole test suite
	$(PY) -m pytest

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check companion tests tools bench

bench: $(STAMP) ## speed and memory figures (see bench/README.md)
	$(PY) bench/run_all.py

screenshots: demo-home ## PNGs of the main screens in Dutch and English under Xvfb (screenshots/)
	xvfb-run -a -s "-screen 0 1280x800x24" $(PY) tools/screenshots.py --home $(DEMO_HOME) -o screenshots

translations: $(STAMP) ## update the .ts sources from the code and compile the .qm files
	$(PY) tools/update_translations.py

sample-media: ## regenerate the lesson videos and subtitles (needs ffmpeg, espeak-ng, imagemagick)
	$(PYTHON) tools/make_sample_lessons.py

package: $(STAMP) ## build the one-folder desktop app with VLC into dist/companion (PyInstaller)
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(LOCK) 'pyinstaller>=6.0'
	packaging/linux/build.sh --python $(PY)

lock: ## refresh requirements/lock.txt (the exact versions everything installs) from PyPI
	PYTHON=$(PYTHON) tools/make_lock.sh

clean: ## remove the virtual environment, built packs and the demo home
	rm -rf $(VENV) $(OUT) $(DEMO_HOME) .pytest_cache .ruff_cache
