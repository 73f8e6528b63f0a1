// `npm run lab -- up|down|crash|start|status`: the lab's command line, over the Lab class.
import { Lab } from './lab.js';

const USAGE = `usage: npm run lab -- <command> [options]
  up --hosts N [--pi h1,h2] [--slow-disk h3=30]... [--no-memcg h5] [--hostname NAME]
     [--registration-address 127.0.1.100] [--cert-days 20 | --cert-days h1=20,h3=-1]
     [--net 127.0.1] [--dir DIR]
  down [--dir DIR]
  crash NAME [--dir DIR]      power loss: every process of the host dies, its disk stays
  start NAME [--dir DIR]      boot: sshd back, and k3s if it is enabled
  reboot NAME [--dir DIR]     crash, then start
  status [--dir DIR]`;

interface Parsed {
  command?: string;
  names: string[];
  hosts?: number;
  pi: string[];
  noMemcg: string[];
  slowDisk: Record<string, number>;
  dir?: string;
  network?: string;
  hostname?: string;
  registrationAddress?: string;
  certDays?: number | Record<string, number>;
}

function parse(argv: string[]): Parsed {
  const parsed: Parsed = { names: [], pi: [], noMemcg: [], slowDisk: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    const list = () => value().split(',').filter(Boolean);
    if (arg === '--hosts') parsed.hosts = Number(value());
    else if (arg === '--pi') parsed.pi.push(...list());
    else if (arg === '--no-memcg') parsed.noMemcg.push(...list());
    else if (arg === '--dir') parsed.dir = value();
    else if (arg === '--net') parsed.network = value();
    else if (arg === '--hostname') parsed.hostname = value();
    else if (arg === '--registration-address') parsed.registrationAddress = value();
    else if (arg === '--cert-days') {
      const text = value();
      if (!text.includes('=')) parsed.certDays = Number(text);
      else {
        const byHost: Record<string, number> = typeof parsed.certDays === 'object' ? parsed.certDays : {};
        for (const item of text.split(',').filter(Boolean)) {
          const [name, days] = item.split('=');
          if (!name || days === undefined) throw new Error(`--cert-days wants DAYS or NAME=DAYS, got ${item}`);
          byHost[name] = Number(days);
        }
        parsed.certDays = byHost;
      }
    } else if (arg === '--slow-disk') {
      for (const item of list()) {
        const [name, ms] = item.split('=');
        if (!name || ms === undefined) throw new Error(`--slow-disk wants NAME=MS, got ${item}`);
        parsed.slowDisk[name] = Number(ms);
      }
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (parsed.command === undefined) parsed.command = arg;
    else parsed.names.push(arg);
  }
  return parsed;
}

async function main(argv: string[]): Promise<void> {
  const args = parse(argv);
  const started = Date.now();
  switch (args.command) {
    case 'up': {
      if (args.hosts === undefined) throw new Error('up needs --hosts N');
      const lab = await Lab.up({
        hosts: args.hosts,
        pi: args.pi,
        noMemcg: args.noMemcg,
        slowDisk: args.slowDisk,
        hostname: args.hostname,
        registrationAddress: args.registrationAddress,
        certDays: args.certDays,
        dir: args.dir,
        network: args.network,
      });
      console.log(`lab: ${lab.hosts.length} hosts up in ${((Date.now() - started) / 1000).toFixed(1)} s (${lab.dir})`);
      console.log(`  inventory: ${lab.files.inventory}`);
      if (args.registrationAddress) console.log(`  registration address: ${args.registrationAddress}:6443, forwarded to the hosts that serve 6443`);
      console.log(`  ssh:       ssh -i ${lab.files.identity} -o UserKnownHostsFile=${lab.files.knownHosts} fleet@${lab.hosts[0]!.address}`);
      return;
    }
    case 'down':
      await Lab.down(args.dir);
      console.log('lab: down');
      return;
    case 'crash':
    case 'start':
    case 'reboot': {
      const command = args.command;
      if (args.names.length === 0) throw new Error(`${command} needs a host name`);
      const lab = Lab.open(args.dir);
      for (const name of args.names) {
        await lab[command](name);
        console.log(`lab: ${name} ${{ crash: 'crashed', start: 'started', reboot: 'rebooted' }[command]}`);
      }
      return;
    }
    case 'status': {
      const lab = Lab.open(args.dir);
      console.log('NAME\tADDRESS\t\tHOST\tK3S');
      for (const host of await lab.status()) console.log(`${host.name}\t${host.address}\t${host.up ? 'up' : 'down'}\t${host.k3s}`);
      return;
    }
    default:
      throw new Error(args.command === undefined ? 'no command' : `unknown command ${args.command}`);
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`lab: ${error.message}`);
  if (/no command|unknown|needs|wants/.test(error.message)) console.error(USAGE);
  process.exitCode = 1;
});
