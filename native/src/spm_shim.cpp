// libltxspm.so: a C face over Debian's libsentencepiece, loaded by ops_tokenizer.cpp with dlmopen into its own
// link namespace. libsentencepiece exports its bundled protobuf-lite symbols, which clash with the libprotobuf
// libtorch loads (a crash in libprotobuf's static initialisers), so the two must never share a namespace.
// Nothing allocated here crosses over: strings and ids go into caller buffers; sizes are returned.
#include <sentencepiece_processor.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#define SHIM_API extern "C" __attribute__((visibility("default")))

namespace {

using Sp = sentencepiece::SentencePieceProcessor;

int32_t copy_out(const std::string& s, char* out, int32_t capacity) {
  if (out && capacity > 0) {
    size_t n = s.size() < static_cast<size_t>(capacity - 1) ? s.size() : static_cast<size_t>(capacity - 1);
    std::memcpy(out, s.data(), n);
    out[n] = '\0';
  }
  return static_cast<int32_t>(s.size());
}

bool ok(const sentencepiece::util::Status& status, char* err, int32_t cap) {
  if (status.ok()) return true;
  copy_out(status.ToString(), err, cap);
  return false;
}

}  // namespace

SHIM_API void* shim_load(const char* data, int64_t length, int32_t is_path, char* err, int32_t cap) {
  try {
    auto* sp = new Sp();
    auto status = is_path ? sp->Load(data) : sp->LoadFromSerializedProto(std::string(data, static_cast<size_t>(length)));
    if (ok(status, err, cap)) return sp;
    delete sp;
  } catch (const std::exception& e) {
    copy_out(e.what(), err, cap);
  }
  return nullptr;
}

SHIM_API void shim_free(void* p) { delete static_cast<Sp*>(p); }
SHIM_API int32_t shim_vocab_size(void* p) { return static_cast<Sp*>(p)->GetPieceSize(); }

SHIM_API int32_t shim_special_id(void* p, int32_t which) {
  auto* sp = static_cast<Sp*>(p);
  switch (which) {
    case 0: return sp->unk_id();
    case 1: return sp->bos_id();
    case 2: return sp->eos_id();
    case 3: return sp->pad_id();
  }
  return -2;
}

SHIM_API int32_t shim_piece_to_id(void* p, const char* piece) { return static_cast<Sp*>(p)->PieceToId(piece); }

SHIM_API int32_t shim_id_kind(void* p, int32_t id) {
  auto* sp = static_cast<Sp*>(p);
  if (id < 0 || id >= sp->GetPieceSize()) return -1;
  if (sp->IsControl(id)) return 1;
  if (sp->IsUnknown(id)) return 2;
  if (sp->IsByte(id)) return 3;
  if (sp->IsUnused(id)) return 4;
  return 0;
}

SHIM_API int32_t shim_id_to_piece(void* p, int32_t id, char* out, int32_t cap) {
  auto* sp = static_cast<Sp*>(p);
  if (id < 0 || id >= sp->GetPieceSize()) return -1;
  return copy_out(sp->IdToPiece(id), out, cap);
}

SHIM_API int32_t shim_encode(void* p, const char* text, int64_t length, int32_t* ids, int32_t cap, char* err, int32_t errcap) {
  std::vector<int> out;
  if (!ok(static_cast<Sp*>(p)->Encode(std::string(text, static_cast<size_t>(length)), &out), err, errcap)) return -1;
  for (size_t i = 0; i < out.size() && i < static_cast<size_t>(cap); ++i) ids[i] = out[i];
  return static_cast<int32_t>(out.size());
}

SHIM_API int32_t shim_decode(void* p, const int32_t* ids, int32_t count, char* out, int32_t cap, char* err, int32_t errcap) {
  std::string text;
  if (!ok(static_cast<Sp*>(p)->Decode(std::vector<int>(ids, ids + count), &text), err, errcap)) return -1;
  return copy_out(text, out, cap);
}
