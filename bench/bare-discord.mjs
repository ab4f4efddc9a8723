// The baseline for `npm run bench`: a bare discord.js client that answers every click with a
// static message, the least any bot must do. Plain JavaScript, run with node.
import { Client, Events, GatewayIntentBits } from 'discord.js';

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: process.env.DISCORD_API_URL } });
client.on(Events.InteractionCreate, async (i) => {
  if (i.isButton()) await i.update({ content: 'Next step' });
  else if (i.isRepliable()) await i.reply({ content: 'Hello' });
});
await client.login(process.env.DISCORD_TOKEN);
