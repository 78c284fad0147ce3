using System.Globalization;

namespace LtxLocal.Inference.Memory;

/// <summary>Memory sizes as people write them: a byte count, or a number with KiB, MiB, GiB or TiB (binary units).</summary>
public static class ByteSize
{
    private static readonly (string Unit, int Shift)[] Units = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10), ("B", 0)];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0) return false;
        int shift = 0;
        foreach (var (unit, unitShift) in Units)
            if (trimmed.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^unit.Length].TrimEnd();
                shift = unitShift;
                break;
            }
        if (!double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || number <= 0)
            return false;
        var value = number * Math.Pow(2, shift);
        if (value >= long.MaxValue || (shift == 0 && number != Math.Floor(number))) return false;
        bytes = (long)value;
        return bytes > 0;
    }

    /// <summary>Like <see cref="TryParse"/>, and 0 (with or without a unit) too: for settings where 0 switches something off.</summary>
    public static bool TryParseZeroOrMore(string? text, out long bytes)
    {
        bytes = 0;
        return System.Text.RegularExpressions.Regex.IsMatch(text ?? "", @"^\s*0+(\.0*)?\s*([KMGT]iB|B)?\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            || TryParse(text, out bytes);
    }

    /// <summary>The size, or an error naming <paramref name="setting"/> and what it takes.</summary>
    public static long Parse(string? text, string setting) => TryParse(text, out var bytes) ? bytes
        : throw new FormatException($"{setting} must be a number of bytes or a number with KiB, MiB, GiB or TiB (e.g. 24GiB); it is '{text}'");

    /// <summary>Bytes as GiB with one decimal, the way budgets are compared.</summary>
    public static string Gib(long bytes) => $"{bytes / (double)(1L << 30):F1} GiB";
}
