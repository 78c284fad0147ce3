using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LtxLocal.Torch.Safetensors;

/// <summary>Writes .safetensors files (tiny checkpoints, test data, converted weights).</summary>
public static class SafetensorsWriter
{
    // Tensors are copied to the file in slices of at most this many bytes, so no huge host buffer is needed.
    private const long ChunkBytes = 64L << 20;

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device, dtype kept) with optional string metadata. A meta tensor has no
    /// values: its bytes are left a hole (a sparse file, reading as zeros), for header-only files (<see cref="RandomWeights"/>).
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var header = BuildHeader(names, tensors, metadata);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var temporary = path + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var name in names) WriteData(stream, tensors[name]);
            if (stream.Length < stream.Position) stream.SetLength(stream.Position);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static byte[] BuildHeader(List<string> names, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var tensor = tensors[name];
                long bytes = tensor.Numel * tensor.ElementSize;
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsHeader.DTypeName(tensor.DType));
                json.WriteStartArray("shape");
                foreach (var d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        // Pad with spaces so the data section starts 8-byte aligned (views need no copy).
        var text = buffer.ToArray();
        int padded = (text.Length + 7) / 8 * 8;
        var result = new byte[padded];
        text.CopyTo(result, 0);
        result.AsSpan(text.Length).Fill((byte)' ');
        return result;
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        long numel = tensor.Numel;
        if (numel == 0) return;
        if (tensor.Device.Type == DeviceType.Meta)
        {
            stream.Seek(numel * tensor.ElementSize, SeekOrigin.Current);
            return;
        }
        using var scope = TorchRuntime.NewDisposeScope();
        var flat = tensor.Reshape(-1);
        long step = Math.Max(1, ChunkBytes / tensor.ElementSize);
        for (long start = 0; start < numel; start += step)
        {
            using var slice = flat.Narrow(0, start, Math.Min(step, numel - start));
            stream.Write(slice.ToBytes());
        }
    }

    /// <summary>Writes the index JSON of a sharded checkpoint (Hugging Face layout).</summary>
    public static void WriteIndex(string path, IReadOnlyDictionary<string, string> weightMap, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("metadata");
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>()) json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteStartObject("weight_map");
        foreach (var (name, file) in weightMap.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteString(name, file);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
