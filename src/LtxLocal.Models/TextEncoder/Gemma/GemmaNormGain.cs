namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>How a Gemma RMSNorm applies its stored weight.</summary>
public enum GemmaNormGain
{
    /// <summary>Gemma 3: <c>(1 + w)</c>, the stored weight centred on 0.</summary>
    OnePlusWeight,
    /// <summary>Gemma 4: <c>w</c> as stored (initialised to ones).</summary>
    Weight,
    /// <summary>Gemma 4's v_norm: no weight at all.</summary>
    None,
}
