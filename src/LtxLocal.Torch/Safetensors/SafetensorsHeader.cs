using System.Text;
using System.Text.Json;

namespace LtxLocal.Torch.Safetensors;

/// <summary>
/// Parses and validates the JSON header of a safetensors file: every dtype known, every shape
/// non-negative, every byte range inside the data section, of the size its shape needs, and no two
/// ranges overlapping. Anything else is a <see cref="SafetensorsException"/>, never an out-of-bounds read.
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>Largest header accepted (the format's own limit is 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string DTypeName(DType dtype) => dtype switch
    {
        DType.Float64 => "F64",
        DType.Float32 => "F32",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        DType.Float8E4M3FN => "F8_E4M3",
        DType.Float8E5M2 => "F8_E5M2",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.Int16 => "I16",
        DType.Int8 => "I8",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new ArgumentException($"no safetensors name for {dtype}"),
    };

    public static DType? ParseDType(string name) => name switch
    {
        "F64" => DType.Float64,
        "F32" => DType.Float32,
        "F16" => DType.Float16,
        "BF16" => DType.BFloat16,
        "F8_E4M3" => DType.Float8E4M3FN,
        "F8_E5M2" => DType.Float8E5M2,
        "I64" => DType.Int64,
        "I32" => DType.Int32,
        "I16" => DType.Int16,
        "I8" => DType.Int8,
        "U8" => DType.UInt8,
        "BOOL" => DType.Bool,
        _ => null,
    };

    /// <summary>Parses <paramref name="json"/>; <paramref name="dataLength"/> is the size of the data section after the header.</summary>
    public static (Dictionary<string, SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(
        ReadOnlySpan<byte> json, long dataLength, string path)
    {
        try
        {
            Utf8Strict.GetCharCount(json);
        }
        catch (DecoderFallbackException e)
        {
            throw new SafetensorsException(path, "header is not valid UTF-8", e);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new SafetensorsException(path, $"header is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsException(path, "header is not a JSON object");
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") ReadMetadata(property.Value, metadata, path);
                else
                {
                    if (entries.ContainsKey(property.Name))
                        throw new SafetensorsException(path, $"tensor '{property.Name}' appears twice in the header");
                    entries[property.Name] = ReadEntry(property.Name, property.Value, dataLength, path);
                }
            }
            CheckNoOverlap(entries.Values, path);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException(path, "__metadata__ is not a JSON object");
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsException(path, $"__metadata__ value '{item.Name}' is not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement element, long dataLength, string path)
    {
        string Where() => $"tensor '{name}'";
        if (element.ValueKind != JsonValueKind.Object) throw new SafetensorsException(path, $"{Where()}: entry is not an object");
        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new SafetensorsException(path, $"{Where()}: missing dtype");
        var dtypeName = dtypeElement.GetString()!;
        var dtype = ParseDType(dtypeName)
            ?? throw new SafetensorsException(path, $"{Where()}: unknown or unsupported dtype '{dtypeName}'");
        if (!element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new SafetensorsException(path, $"{Where()}: missing shape");
        var shape = new long[shapeElement.GetArrayLength()];
        long numel = 1;
        int i = 0;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var size) || size < 0)
                throw new SafetensorsException(path, $"{Where()}: shape has an invalid size {d}");
            shape[i++] = size;
            try { numel = checked(numel * size); }
            catch (OverflowException) { throw new SafetensorsException(path, $"{Where()}: shape is too large"); }
        }
        if (!element.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array ||
            offsets.GetArrayLength() != 2)
            throw new SafetensorsException(path, $"{Where()}: data_offsets must be [begin, end]");
        long begin = ReadOffset(offsets[0], name, path), end = ReadOffset(offsets[1], name, path);
        if (begin > end) throw new SafetensorsException(path, $"{Where()}: data_offsets [{begin}, {end}] end before they begin");
        if (end > dataLength)
            throw new SafetensorsException(path, $"{Where()}: data_offsets end {end} lies past the data section ({dataLength} bytes; truncated file?)");
        long expected;
        try { expected = checked(numel * dtype.ElementSize()); }
        catch (OverflowException) { throw new SafetensorsException(path, $"{Where()}: shape is too large"); }
        if (end - begin != expected)
            throw new SafetensorsException(path,
                $"{Where()}: {end - begin} bytes at [{begin}, {end}) but {dtypeName} [{string.Join(", ", shape)}] needs {expected}");
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static long ReadOffset(JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value) || value < 0)
            throw new SafetensorsException(path, $"tensor '{name}': data offset {element} is not a non-negative integer");
        return value;
    }

    private static void CheckNoOverlap(IEnumerable<SafetensorsEntry> entries, string path)
    {
        SafetensorsEntry? previous = null;
        foreach (var entry in entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            if (previous is not null && entry.Begin < previous.End)
                throw new SafetensorsException(path,
                    $"tensors '{previous.Name}' [{previous.Begin}, {previous.End}) and '{entry.Name}' [{entry.Begin}, {entry.End}) overlap");
            previous = entry;
        }
    }
}
