namespace LtxLocal.Models.Transformer;

/// <summary>The perturbation rows of <see cref="BatchedPerturbations"/> (guidance/perturbations.py PerturbationType).</summary>
public enum PerturbationType
{
    SkipVideoSelfAttention = 0,
    SkipAudioSelfAttention = 1,
    SkipAudioToVideoCrossAttention = 2,
    SkipVideoToAudioCrossAttention = 3,
}
