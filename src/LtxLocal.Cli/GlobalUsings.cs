// What every command builds on: the inference library (catalog, pipelines, resolved requests), media tools and the console.
global using System.Globalization;
global using LtxLocal.Inference;
global using LtxLocal.Inference.Catalog;
global using LtxLocal.Inference.Pipelines;
global using LtxLocal.Inference.Requests;
global using LtxLocal.Media;
global using Spectre.Console;
