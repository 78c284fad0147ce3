using System.Text.Json.Serialization;

namespace LtxLocal.Server.Safety;

/// <summary>Source-generated JSON for the checker protocol (snake_case, like the API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SafetyCheck))]
[JsonSerializable(typeof(SafetyAnswer))]
public sealed partial class SafetyJson : JsonSerializerContext;
