// SentencePiece tokenizer behind the C ABI. The library itself lives in libltxspm.so (spm_shim.cpp), opened with
// dlmopen in a separate link namespace: libsentencepiece's bundled protobuf symbols crash libtorch's libprotobuf
// when both share one. Same conventions as the tensor ops: failures return -1 / NULL and set ltx_last_error().
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "common.h"

namespace {

struct Shim {
  void* (*load)(const char*, int64_t, int32_t, char*, int32_t);
  void (*free)(void*);
  int32_t (*vocab_size)(void*);
  int32_t (*special_id)(void*, int32_t);
  int32_t (*piece_to_id)(void*, const char*);
  int32_t (*id_kind)(void*, int32_t);
  int32_t (*id_to_piece)(void*, int32_t, char*, int32_t);
  int32_t (*encode)(void*, const char*, int64_t, int32_t*, int32_t, char*, int32_t);
  int32_t (*decode)(void*, const int32_t*, int32_t, char*, int32_t, char*, int32_t);
};

template <typename F>
void bind(void* lib, const char* name, F& slot) {
  void* symbol = dlsym(lib, name);
  if (!symbol) throw std::runtime_error(std::string("libltxspm.so lacks ") + name);
  slot = reinterpret_cast<F>(symbol);
}

// libltxspm.so next to this library (native/build or the application folder), else on the loader path.
std::string shim_path() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&shim_path), &info) && info.dli_fname) {
    std::string self = info.dli_fname;
    auto slash = self.rfind('/');
    if (slash != std::string::npos) return self.substr(0, slash + 1) + "libltxspm.so";
  }
  return "libltxspm.so";
}

const Shim& shim() {
  static Shim s{};
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    void* lib = dlmopen(LM_ID_NEWLM, shim_path().c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) { failure = std::string("cannot load the tokenizer library: ") + dlerror(); return; }
    try {
      bind(lib, "shim_load", s.load); bind(lib, "shim_free", s.free); bind(lib, "shim_vocab_size", s.vocab_size);
      bind(lib, "shim_special_id", s.special_id); bind(lib, "shim_piece_to_id", s.piece_to_id);
      bind(lib, "shim_id_kind", s.id_kind); bind(lib, "shim_id_to_piece", s.id_to_piece);
      bind(lib, "shim_encode", s.encode); bind(lib, "shim_decode", s.decode);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  if (!failure.empty()) throw std::runtime_error(failure);
  return s;
}

void* P(ltx_spm p) {
  if (!p) throw std::invalid_argument("null sentencepiece handle");
  return reinterpret_cast<void*>(p);
}

char* dup(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (!out) throw std::bad_alloc();
  std::memcpy(out, s.data(), s.size() + 1);
  return out;
}

// Calls a shim function that writes a string into a buffer and returns its full length; grows once if needed.
template <typename Call>
std::string read_string(Call call) {
  std::vector<char> buffer(256);
  int32_t n = call(buffer.data(), static_cast<int32_t>(buffer.size()));
  if (n < 0) return {};
  if (static_cast<size_t>(n) >= buffer.size()) {
    buffer.resize(static_cast<size_t>(n) + 1);
    call(buffer.data(), static_cast<int32_t>(buffer.size()));
  }
  return std::string(buffer.data(), static_cast<size_t>(n));
}

ltx_spm load(const char* data, int64_t length, int32_t is_path) {
  char err[512] = {0};
  void* p = shim().load(data, length, is_path, err, sizeof err);
  if (!p) throw std::runtime_error(std::string("sentencepiece: ") + err);
  return reinterpret_cast<ltx_spm>(p);
}

}  // namespace

extern "C" {

ltx_spm ltx_spm_load(const char* path) { LTX_GUARD(nullptr, { return load(path, 0, 1); }) }

ltx_spm ltx_spm_load_bytes(const char* data, int64_t length) { LTX_GUARD(nullptr, { return load(data, length, 0); }) }

void ltx_spm_free(ltx_spm p) {
  if (p) shim().free(P(p));
}

int32_t ltx_spm_vocab_size(ltx_spm p) { LTX_GUARD(-1, { return shim().vocab_size(P(p)); }) }

int32_t ltx_spm_special_id(ltx_spm p, int32_t which) {
  LTX_GUARD(-2, {
    int32_t id = shim().special_id(P(p), which);
    if (id < -1) throw std::invalid_argument("unknown special token kind " + std::to_string(which));
    return id;
  })
}

int32_t ltx_spm_piece_to_id(ltx_spm p, const char* piece) { LTX_GUARD(-1, { return shim().piece_to_id(P(p), piece); }) }

int32_t ltx_spm_id_kind(ltx_spm p, int32_t id) {
  LTX_GUARD(-1, {
    int32_t kind = shim().id_kind(P(p), id);
    if (kind < 0) throw std::out_of_range("token id " + std::to_string(id) + " out of range");
    return kind;
  })
}

char* ltx_spm_id_to_piece(ltx_spm p, int32_t id) {
  LTX_GUARD(nullptr, {
    if (shim().id_kind(P(p), id) < 0) throw std::out_of_range("token id " + std::to_string(id) + " out of range");
    return dup(read_string([&](char* out, int32_t cap) { return shim().id_to_piece(P(p), id, out, cap); }));
  })
}

int32_t ltx_spm_encode(ltx_spm p, const char* text, int64_t length, int32_t* ids, int32_t capacity) {
  LTX_GUARD(-1, {
    char err[512] = {0};
    int32_t n = shim().encode(P(p), text, length, ids, capacity, err, sizeof err);
    if (n < 0) throw std::runtime_error(std::string("sentencepiece encode: ") + err);
    return n;
  })
}

char* ltx_spm_decode(ltx_spm p, const int32_t* ids, int32_t count) {
  LTX_GUARD(nullptr, {
    char err[512] = {0};
    bool failed = false;
    auto text = read_string([&](char* out, int32_t cap) {
      int32_t n = shim().decode(P(p), ids, count, out, cap, err, sizeof err);
      failed = n < 0;
      return n;
    });
    if (failed) throw std::runtime_error(std::string("sentencepiece decode: ") + err);
    return dup(text);
  })
}

}  // extern "C"
