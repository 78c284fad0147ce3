namespace LtxLocal.Torch;

public static class DTypeExtensions
{
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float64 or DType.Int64 => 8,
        DType.Float32 or DType.Int32 => 4,
        DType.Float16 or DType.BFloat16 or DType.Int16 => 2,
        _ => 1,
    };

    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float32 or DType.Float16 or DType.BFloat16 or DType.Float64 or DType.Float8E4M3FN or DType.Float8E5M2;

    public static bool IsFloat8(this DType dtype) => dtype is DType.Float8E4M3FN or DType.Float8E5M2;

    /// <summary>PyTorch's name (torch.bfloat16 -> "bfloat16").</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float16 => "float16",
        DType.BFloat16 => "bfloat16",
        DType.Float8E4M3FN => "float8_e4m3fn",
        DType.Float8E5M2 => "float8_e5m2",
        DType.Int64 => "int64",
        DType.Int32 => "int32",
        DType.UInt8 => "uint8",
        DType.Bool => "bool",
        DType.Float64 => "float64",
        DType.Int16 => "int16",
        DType.Int8 => "int8",
        _ => dtype.ToString(),
    };

    /// <summary>Parses PyTorch names ("bf16", "bfloat16", "float32", "fp8"...), for configuration and the CLI.</summary>
    public static DType Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" or "float" or "f32" => DType.Float32,
        "float16" or "fp16" or "half" or "f16" => DType.Float16,
        "bfloat16" or "bf16" => DType.BFloat16,
        "float8_e4m3fn" or "fp8" or "fp8_e4m3" or "f8_e4m3" => DType.Float8E4M3FN,
        "float8_e5m2" or "fp8_e5m2" or "f8_e5m2" => DType.Float8E5M2,
        "float64" or "fp64" or "double" or "f64" => DType.Float64,
        "int64" or "long" or "i64" => DType.Int64,
        "int32" or "int" or "i32" => DType.Int32,
        "int16" or "i16" => DType.Int16,
        "int8" or "i8" => DType.Int8,
        "uint8" or "u8" => DType.UInt8,
        "bool" => DType.Bool,
        _ => throw new ArgumentException($"unknown dtype '{name}'"),
    };

    internal static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(short)) return DType.Int16;
        if (typeof(T) == typeof(sbyte)) return DType.Int8;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        if (typeof(T) == typeof(Half)) return DType.Float16;
        throw new NotSupportedException($"no tensor dtype for {typeof(T).Name}");
    }
}
