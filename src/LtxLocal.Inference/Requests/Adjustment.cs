using System.Text.Json.Nodes;

namespace LtxLocal.Inference.Requests;

/// <summary>
/// One change the resolver made to what was asked: the field, what was asked, what is used (null when the field is
/// dropped because the pipeline does not use it), and why.
/// </summary>
public sealed record Adjustment(string Field, JsonNode? Requested, JsonNode? Applied, string Reason);
