namespace LtxLocal.Inference.Requests;

/// <summary>The size of a planned video, as the VRAM estimator sees it.</summary>
public sealed record GenerationShape(string ModelId, string Pipeline, int Width, int Height, int NumFrames, bool GenerateAudio);
