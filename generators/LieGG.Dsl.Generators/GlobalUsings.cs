// The namespaces every part of the generator and the analyzers uses (the project has no implicit usings: it targets netstandard2.0).
global using System;
global using System.Collections.Generic;
global using System.Collections.Immutable;
global using System.Globalization;
global using System.Linq;
global using LieGG.Dsl.Generators.Shared;
global using Microsoft.CodeAnalysis;
global using Microsoft.CodeAnalysis.Diagnostics;
