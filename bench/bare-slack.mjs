// The baseline for `npm run bench`: a bare Bolt app over Socket Mode that answers every click
// with a static message, the least any bot must do. Plain JavaScript, run with node.
import bolt from '@slack/bolt';

const clientOptions = { slackApiUrl: process.env.SLACK_API_URL };
const receiver = new bolt.SocketModeReceiver({ appToken: process.env.SLACK_APP_TOKEN, installerOptions: { clientOptions } });
const app = new bolt.App({ token: process.env.SLACK_BOT_TOKEN, receiver, clientOptions, logLevel: bolt.LogLevel.ERROR });
app.action(/.*/, async ({ ack, respond }) => {
  await ack();
  await respond({ replace_original: true, text: 'Next step' });
});
await app.start();
