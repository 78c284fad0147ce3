namespace LtxLocal.Models.Transformer;

/// <summary>The inputs of one transformer call: the present streams and the perturbations (null: none).</summary>
public sealed record ModelPass(Modality? Video, Modality? Audio, BatchedPerturbations? Perturbations = null);
