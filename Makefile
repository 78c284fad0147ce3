# LtxLocal build entry points. `make test` and `make serve` set up what is missing first.
CONFIG ?= Release
DOTNET ?= dotnet
SERVE_ARGS ?=
TEST_FILTER ?=

.PHONY: setup native build test serve bench clean

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

serve: setup build
	$(DOTNET) run --project src/LtxLocal.Cli -c $(CONFIG) --no-build -- serve $(SERVE_ARGS)

bench: build
	$(DOTNET) run --project src/LtxLocal.Cli -c $(CONFIG) --no-build -- bench torch

clean:
	rm -rf native/build && $(DOTNET) clean LtxLocal.sln -nologo -v quiet
