namespace LtxLocal.Inference.Requests;

/// <summary>
/// What the resolver fits a request into: the estimated peak of a shape, and the free memory of the devices that may run
/// it (null when there is nothing to fit, e.g. a CPU worker). The server joins its estimator and GPU inventory here.
/// </summary>
public interface IGenerationMemory
{
    long EstimatePeakBytes(GenerationShape shape);

    long? FreeBytes();
}
