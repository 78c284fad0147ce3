// The server's own layers that endpoints and services all reach for, and the options pattern.
global using LtxLocal.Server.Contracts;
global using LtxLocal.Server.Hosting;
global using LtxLocal.Server.Inputs;
global using LtxLocal.Server.Jobs;
global using Microsoft.Extensions.Options;
