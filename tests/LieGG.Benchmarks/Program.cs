using static TorchSharp.torch;
var a = randn(4, 4);
Console.WriteLine(a.matmul(a.T).sum().item<float>());
