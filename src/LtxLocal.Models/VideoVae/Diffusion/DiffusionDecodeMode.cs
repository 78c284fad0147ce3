namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// How stage-5 attention is laid out (transformer/config.py DiffVAEMode). <see cref="Chunked"/> is the pipelines' default
/// (chunked_eager / chunked_compile: W-slabs with halos); <see cref="Combined"/> is what combined_compile computes (one
/// full-volume neighbourhood). They differ near the slab borders.
/// </summary>
public enum DiffusionDecodeMode
{
    Chunked,
    Combined,
}
