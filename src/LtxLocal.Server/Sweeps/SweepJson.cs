using System.Text.Json.Serialization;

namespace LtxLocal.Server.Sweeps;

/// <summary>Source-generated JSON for what sweeps store and answer: snake_case names, nulls written out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StoredSweep))]
[JsonSerializable(typeof(CellQuality))]
[JsonSerializable(typeof(SweepResponse))]
public sealed partial class SweepJson : JsonSerializerContext;
