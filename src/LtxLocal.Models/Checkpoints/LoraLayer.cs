using LtxLocal.Torch;

namespace LtxLocal.Models.Checkpoints;

/// <summary>One low-rank update: target weight name (model naming), A [rank, in], B [out, rank], scale alpha/rank.</summary>
public sealed record LoraLayer(string Target, Tensor A, Tensor B, double Scale);
