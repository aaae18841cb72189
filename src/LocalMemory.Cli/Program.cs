using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Daemon;
using LocalMemory.Cli.Hooks;

DaemonCommand.DetachIfAsked(args);
var parse = LocalmemCommand.Create().Parse(args);
if (HookClient.Handles(parse)) return await HookClient.RunAsync(parse, args);
return await CliRouter.TryDaemonAsync(parse, args, CancellationToken.None) ?? await parse.InvokeAsync();
