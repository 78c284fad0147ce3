// Namespaces nearly every pipeline and block file works in: tensors, the denoising state and loop, the resolved
// request and the samplers.
global using LtxLocal.Inference.Denoising;
global using LtxLocal.Inference.Requests;
global using LtxLocal.Inference.Schedulers;
global using LtxLocal.Torch;
