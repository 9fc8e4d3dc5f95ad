// `npm run testbed -- up [--hosts N] | down | status`
import { down, status, up } from "./testbed";

const DEFAULT_HOSTS = 2;

async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    switch (command) {
        case "up": {
            const flag = rest.indexOf("--hosts");
            const hosts = flag >= 0 ? Number(rest[flag + 1]) : DEFAULT_HOSTS;
            await up({ hosts });
            return 0;
        }
        case "down":
            await down();
            return 0;
        case "status": {
            const result = await status();
            for (const line of result.lines) console.log(line);
            return result.healthy ? 0 : 1;
        }
        default:
            console.error("usage: npm run testbed -- up [--hosts N] | down | status");
            return 2;
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
        console.error(err.message);
        process.exit(1);
    },
);
