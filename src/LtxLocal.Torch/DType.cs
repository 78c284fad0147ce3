namespace LtxLocal.Torch;

/// <summary>Element types; the values are the native shim's dtype codes.</summary>
public enum DType
{
    Float32 = 0,
    Float16 = 1,
    BFloat16 = 2,
    Float8E4M3FN = 3,
    Float8E5M2 = 4,
    Int64 = 5,
    Int32 = 6,
    UInt8 = 7,
    Bool = 8,
    Float64 = 9,
    Int16 = 10,
    Int8 = 11,
}
