# LtxLocal build entry points. `make test` and `make serve` set up what is missing first.
CONFIG ?= Release
DOTNET ?= dotnet
SERVE_ARGS ?=
TEST_FILTER ?=

# The browser tests' Playwright drives Debian's chromium (scripts/setup.sh); it never downloads a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = 1

.PHONY: setup native build test test-debian13 gpu-bundle serve bench clean install uninstall test-install

setup:
	bash scripts/setup.sh

native/build/libltxnative.so: $(wildcard native/src/* native/include/* native/CMakeLists.txt)
	bash native/build.sh

native: native/build/libltxnative.so

build: native
	$(DOTNET) build LtxLocal.sln -c $(CONFIG) -nologo -v minimal

# The job-store tests also run against a throwaway PostgreSQL (scripts/test-postgres.sh) when one can start.
test: setup build
	@pg=$$(bash scripts/test-postgres.sh start) || { echo "test: no PostgreSQL, its store tests are left out"; pg=; }; \
	status=0; LTX_TEST_POSTGRES="$$pg" $(DOTNET) test LtxLocal.sln -c $(CONFIG) --no-build -nologo -v minimal \
	  $(if $(TEST_FILTER),--filter "$(TEST_FILTER)") || status=$$?; \
	[ -z "$$pg" ] || bash scripts/test-postgres.sh stop; exit $$status

# The suite on Debian 13 / libtorch 2.6 in a debootstrap root, then the CUDA build there (scripts/test-debian13.sh).
# Needs root; the root is cached at $(or $(LTX_DEBIAN13_ROOT),/var/cache/ltx-local/debian13) (LTX_DEBIAN13_ROOT).
test-debian13:
	bash scripts/test-debian13.sh

# What travels to a GPU box for scripts/gpu-acceptance.sh: artifacts/ltx-gpu-bundle.tar.xz (scripts/gpu-bundle.sh).
gpu-bundle:
	bash scripts/gpu-bundle.sh

# Without any model under models/, `make serve` creates the tiny one (random weights: its videos are noise).
# --devices auto (serve's default) uses every GPU, else the CPU with a warning; SERVE_DEVICES=cuda:0 (or cpu) overrides.
SERVE_DEVICES ?= auto

models/tiny/ltx-model.json:
	$(DOTNET) run --project src/LtxLocal.Cli -c $(CONFIG) --no-build -- models create-tiny --out models/tiny

serve: setup build
	@ls models/*/ltx-model.json models/*/*.safetensors >/dev/null 2>&1 || $(MAKE) --no-print-directory models/tiny/ltx-model.json
	$(DOTNET) run --project src/LtxLocal.Cli -c $(CONFIG) --no-build -- serve --devices $(SERVE_DEVICES) $(SERVE_ARGS)

bench: build
	$(DOTNET) run --project src/LtxLocal.Cli -c $(CONFIG) --no-build -- bench torch

# `make install` puts a self-contained ltx-local under PREFIX (lib/ltx-local + bin/ltx-local); `make uninstall`
# removes exactly those files (scripts/install.sh keeps a manifest). Default PREFIX: ~/.local, /usr/local as root.
PREFIX ?= $(if $(filter 0,$(shell id -u)),/usr/local,$(HOME)/.local)

install: setup native
	bash scripts/install.sh install "$(PREFIX)"

uninstall:
	bash scripts/install.sh uninstall "$(PREFIX)"

# Installs into a temporary prefix, runs the installed binary from outside the repository, uninstalls, and checks
# the prefix is empty again (scripts/test-install.sh).
test-install: setup native
	bash scripts/test-install.sh

clean:
	rm -rf native/build && $(DOTNET) clean LtxLocal.sln -nologo -v quiet
