using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// Checks once, right after parsing, that every field name and string value of a JSON body is text: valid UTF-8
/// bytes, and <c>\u</c> escapes that pair their surrogates. The JSON reader accepts both kinds of garbage and only
/// fails when a value is read as a string — deep inside request handling, as a 500. Read from the raw bytes, so a
/// large data URI is not decoded an extra time.
/// </summary>
public static class JsonTextCheck
{
    /// <exception cref="ApiException">400 naming the field whose name or value is not text</exception>
    public static void Check(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (Problem(JsonMarshal.GetRawUtf8PropertyName(property)) is { } nameProblem)
                        throw ApiException.BadRequest($"a field name{(path == "" ? "" : $" in '{path}'")} is not text: {nameProblem}");
                    Check(property.Value, path == "" ? property.Name : $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Check(item, $"{path}[{i++}]");
                break;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (Problem(raw[1..^1]) is { } problem) throw ApiException.BadRequest($"'{path}' is not text: {problem}");
                break;
        }
    }

    /// <summary>What is wrong with the raw (still escaped) bytes of a JSON string, or null.</summary>
    private static string? Problem(ReadOnlySpan<byte> raw)
    {
        if (!Utf8.IsValid(raw)) return "it holds bytes that are not valid UTF-8";
        int expectLow = -1; // index where a \u low surrogate must start, after a high one
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\') continue;
            if (i + 1 < raw.Length && raw[i + 1] == (byte)'u' && i + 5 < raw.Length && TryHex(raw.Slice(i + 2, 4), out var unit))
            {
                bool high = unit is >= 0xD800 and <= 0xDBFF, low = unit is >= 0xDC00 and <= 0xDFFF;
                if (expectLow >= 0 && (i != expectLow || !low)) return LoneSurrogate(raw, expectLow - 6);
                if (low && expectLow < 0) return LoneSurrogate(raw, i);
                expectLow = high ? i + 6 : -1;
                i += 5;
                continue;
            }
            if (expectLow >= 0) return LoneSurrogate(raw, expectLow - 6);
            i++; // a one-character escape (\" \\ \/ \b \f \n \r \t): the parser has checked it
        }
        return expectLow >= 0 ? LoneSurrogate(raw, expectLow - 6) : null;
    }

    private static string LoneSurrogate(ReadOnlySpan<byte> raw, int at) =>
        $"the escape {System.Text.Encoding.ASCII.GetString(raw.Slice(at, 6))} is a lone surrogate (a high one must be followed by a low one)";

    private static bool TryHex(ReadOnlySpan<byte> four, out int value)
    {
        value = 0;
        foreach (var b in four)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0) return false;
            value = value * 16 + digit;
        }
        return true;
    }
}
