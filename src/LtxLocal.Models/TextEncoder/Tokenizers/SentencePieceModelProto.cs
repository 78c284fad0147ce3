using System.Buffers.Binary;
using System.Text;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>
/// The parts of a SentencePiece .model (a ModelProto protobuf) a tokenizer.json conversion needs: the pieces with
/// scores and types, the trainer's model type / byte fallback / unk piece, and the normalizer's add_dummy_prefix.
/// A small wire-format reader; the native library has no accessor for scores or user-defined types.
/// </summary>
public sealed class SentencePieceModelProto
{
    public List<SentencePieceEntry> Pieces { get; } = [];
    /// <summary>TrainerSpec.model_type: 1 unigram, 2 BPE, 3 word, 4 char.</summary>
    public int ModelType { get; private set; } = 1;
    public bool ByteFallback { get; private set; }
    public string UnkPiece { get; private set; } = "<unk>";
    public bool AddDummyPrefix { get; private set; } = true;

    public static SentencePieceModelProto Parse(ReadOnlySpan<byte> model)
    {
        var proto = new SentencePieceModelProto();
        var reader = new Reader(model);
        while (reader.Next(out int field, out int wire))
            switch (field, wire)
            {
                case (1, 2): proto.Pieces.Add(ParsePiece(reader.Bytes())); break;
                case (2, 2): proto.ParseTrainer(reader.Bytes()); break;
                case (3, 2): proto.ParseNormalizer(reader.Bytes()); break;
                default: reader.Skip(wire); break;
            }
        return proto;
    }

    private static SentencePieceEntry ParsePiece(ReadOnlySpan<byte> message)
    {
        string piece = "";
        float score = 0;
        var type = SentencePieceType.Normal;
        var reader = new Reader(message);
        while (reader.Next(out int field, out int wire))
            switch (field, wire)
            {
                case (1, 2): piece = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (2, 5): score = BitConverter.Int32BitsToSingle((int)reader.Fixed32()); break;
                case (3, 0): type = (SentencePieceType)reader.Varint(); break;
                default: reader.Skip(wire); break;
            }
        return new SentencePieceEntry(piece, score, type);
    }

    private void ParseTrainer(ReadOnlySpan<byte> message)
    {
        var reader = new Reader(message);
        while (reader.Next(out int field, out int wire))
            switch (field, wire)
            {
                case (3, 0): ModelType = (int)reader.Varint(); break;
                case (35, 0): ByteFallback = reader.Varint() != 0; break;
                case (45, 2): UnkPiece = Encoding.UTF8.GetString(reader.Bytes()); break;
                default: reader.Skip(wire); break;
            }
    }

    private void ParseNormalizer(ReadOnlySpan<byte> message)
    {
        var reader = new Reader(message);
        while (reader.Next(out int field, out int wire))
            if (field == 3 && wire == 0) AddDummyPrefix = reader.Varint() != 0;
            else reader.Skip(wire);
    }

    /// <summary>Protocol-buffer wire format: tagged varint / fixed / length-delimited fields.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public bool Next(out int field, out int wire)
        {
            field = wire = 0;
            if (_at >= _data.Length) return false;
            ulong tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_at >= _data.Length) throw Truncated();
                byte b = _data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new ModelConfigException("SentencePiece model: malformed varint");
        }

        public uint Fixed32()
        {
            if (_at + 4 > _data.Length) throw Truncated();
            var value = BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_at, 4));
            _at += 4;
            return value;
        }

        public ReadOnlySpan<byte> Bytes()
        {
            int length = checked((int)Varint());
            if (_at + length > _data.Length) throw Truncated();
            var bytes = _data.Slice(_at, length);
            _at += length;
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: _at += 8; break;
                case 2: Bytes(); break;
                case 5: _at += 4; break;
                default: throw new ModelConfigException($"SentencePiece model: unsupported protobuf wire type {wire}");
            }
        }

        private static ModelConfigException Truncated() => new("SentencePiece model: truncated protobuf");
    }
}
