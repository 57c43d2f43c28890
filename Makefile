# ganrepro — a thin wrapper over CMake/CTest. The real build is CMakeLists.txt.
#
#   make test          deps, build, ctest (what CI runs)
#   make experiments   deps, build, mnist, then experiments/run_all.sh: runs the experiments
#                      declared in experiments/*.cfg, draws, tables and verifies them
#   make paper         paper/ganrepro.pdf from the results of `make experiments` at PROFILE
#                      (TeX installed by `cmake/deps.sh --paper`; it never runs experiments:
#                      missing results are named with the command that makes them)
#   make reference     regenerate results/reference/ (the numerics regression) on purpose
#   make readme        verdict snapshot results/verdicts/PROFILE.csv from results/*.h5, and
#                      the README's claims table rendered from it (readme-render: only the
#                      rendering, after editing docs/claims.cfg); also the five-method
#                      snapshot results/readme/toy_train.PROFILE.csv and its table, and
#                      the README's figure docs/figures/parallel_lines.png
#   make deps          install missing Debian packages, and npm if absent (idempotent)
#   make mnist         fetch and verify MNIST into datasets/mnist/ (skips when present)
#   make build         configure + build (Release) in build/
#   make asan          build with ASan+UBSan in build-asan/, run unit + integration tests there
#   make fuzz          build the libFuzzer targets (clang) in build-fuzz/, run each for
#                      FUZZ_SECONDS (default 60) seconds: tests/fuzz/run.sh
#   make valgrind      the CLI end to end under valgrind memcheck (run, merge, table, verify,
#                      plot, distance at ci profiles; ~6 min): tests/cli/valgrind.sh
#   make bench         benchmarks side by side with the reference tools (PyTorch, POT)
#   make format        clang-format the C tree
#   make install       cmake --install (PREFIX=/usr/local)

BUILD   ?= build
PREFIX  ?= /usr/local
PROFILE ?= quick
PROFILES := ci quick full
# A profile nobody defined must not quietly run as something else (issue 9 item 7).
ifeq ($(filter $(PROFILE),$(PROFILES)),)
  $(error PROFILE=$(PROFILE) is not a profile: expected one of $(PROFILES))
endif
ifneq ($(words $(PROFILE)),1)
  $(error PROFILE=$(PROFILE) is not a profile: expected one of $(PROFILES))
endif
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=

.PHONY: all deps bench-deps paper-deps build test asan fuzz valgrind experiments reference readme readme-render mnist bench format install clean paper

all: build

deps:
	@sh cmake/deps.sh

bench-deps:
	@sh cmake/deps.sh --bench

paper-deps:
	@sh cmake/deps.sh --paper

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build mnist
	cd $(BUILD) && OPENBLAS_NUM_THREADS=1 ctest --output-on-failure -j $(JOBS)

asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGR_SANITIZE=ON -DGR_BUILD_BENCH=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && OPENBLAS_NUM_THREADS=1 ASAN_OPTIONS=detect_leaks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -L 'unit|integration' -j $(JOBS)

fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(JOBS) sh tests/fuzz/run.sh

valgrind: build
	sh tests/cli/valgrind.sh $(BUILD)

mnist: deps
	@sh datasets/mnist/fetch

experiments: build mnist
	@GR_JOBS=$(JOBS) sh experiments/run_all.sh $(BUILD)/ganrepro $(PROFILE)

# The report reads the results of PROFILE and runs nothing else: paper/generate.sh names
# what is missing and the `make experiments PROFILE=...` that makes it (exit 1). The log
# check fails on undefined references, missing files and overfull boxes (paper/README.md).
paper: paper-deps
	@sh paper/generate.sh $(PROFILE)
	@echo "paper: latexmk -pdf paper/ganrepro.tex (log: paper/ganrepro.log)"
	@cd paper && max_print_line=10000 latexmk -pdf -interaction=nonstopmode -halt-on-error -file-line-error ganrepro.tex >latexmk.out 2>&1 || \
	  { tail -40 latexmk.out >&2; echo "paper: latexmk failed (paper/latexmk.out, paper/ganrepro.log)" >&2; exit 1; }
	@sh tests/paper/check_log.sh paper/ganrepro.log
	@echo "paper: wrote paper/ganrepro.pdf (profile $(PROFILE))"

reference: build mnist
	@sh results/reference/make_reference.sh $(BUILD)/ganrepro

readme: build
	@sh results/make_readme.sh $(BUILD)/ganrepro $(PROFILE)

readme-render: build
	@sh results/make_readme.sh --render $(BUILD)/ganrepro

bench: build bench-deps
	@sh bench/run.sh $(BUILD)

format:
	find src tests bench -name '*.[ch]' -print0 | xargs -0 clang-format -i

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
