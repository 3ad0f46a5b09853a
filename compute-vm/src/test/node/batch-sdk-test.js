// The official Azure Batch SDK for JavaScript (@azure/batch) against the Batch service API of a Cirrus account, with
// the account's Shared Key, as a user would write it for Azure: the account URL is its endpoint
// (http://{account}.{region}.batch.localhost:{port}), resolved to loopback. The one addition is the platform's
// service credential, which the gateway adds to every call it routes. Run by BatchJsSdkTest; prints one JSON line.
const http = require("http");
const { BatchServiceClient, BatchSharedKeyCredentials } = require("@azure/batch");

// the account's host ({account}.{region}.batch.localhost) is the local service's address, as a hosts file would say
const loopback = new http.Agent({
  keepAlive: true,
  lookup: (hostname, options, callback) =>
    options && options.all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4),
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, check, seconds) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > end) {
      throw new Error("timed out waiting for " + what);
    }
    await sleep(250);
  }
}

async function all(first, next) {
  const items = [];
  let page = await first();
  items.push(...page);
  while (page.odatanextLink) {
    page = await next(page.odatanextLink);
    items.push(...page);
  }
  return items;
}

async function text(response) {
  const chunks = [];
  for await (const chunk of response.readableStreamBody) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function main() {
  const env = process.env;
  const credentialHeader = {
    create: (nextPolicy) => ({
      sendRequest: (request) => {
        request.headers.set(env.CIRRUS_CREDENTIAL_HEADER, env.CIRRUS_CREDENTIAL);
        request.agentSettings = { http: loopback, https: loopback };
        return nextPolicy.sendRequest(request);
      },
    }),
  };
  const client = new BatchServiceClient(new BatchSharedKeyCredentials(env.BATCH_ACCOUNT, env.BATCH_KEY), env.BATCH_URL, {
    requestPolicyFactories: (defaults) => [credentialHeader, ...defaults],
  });
  const result = {};

  await client.pool.add({
    id: "jspool",
    vmSize: "Standard_D2s_v5",
    virtualMachineConfiguration: {
      imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
      nodeAgentSKUId: "batch.node.ubuntu 22.04",
    },
    targetDedicatedNodes: 2,
    taskSlotsPerNode: 2,
  });
  await until("the pool to be steady", async () => (await client.pool.get("jspool")).allocationState === "steady", 60);
  await until("two idle nodes", async () => {
    const nodes = await all(() => client.computeNode.list("jspool"), (link) => client.computeNode.listNext(link));
    return nodes.length === 2 && nodes.every((n) => n.state === "idle");
  }, 60);
  const nodes = await all(() => client.computeNode.list("jspool"), (link) => client.computeNode.listNext(link));
  result.nodes = nodes.map((n) => ({ id: n.id, state: n.state, isDedicated: n.isDedicated, vmSize: n.vmSize }));

  await client.job.add({ id: "jsjob", poolInfo: { poolId: "jspool" }, usesTaskDependencies: true });
  const tasks = [];
  for (let i = 1; i <= 16; i++) {
    tasks.push({ id: String(i), commandLine: `echo part ${i}` });
  }
  tasks.push({ id: "merge", commandLine: "echo merged", dependsOn: { taskIdRanges: [{ start: 1, end: 16 }] } });
  tasks.push({ id: "report", commandLine: "echo report after merge", dependsOn: { taskIds: ["merge"] } });
  // fails on its first run on a node (its marker is in that node's shared directory), then succeeds on a retry
  tasks.push({
    id: "flaky",
    commandLine: "if [ -f $AZ_BATCH_NODE_SHARED_DIR/flaky ]; then echo recovered; else touch $AZ_BATCH_NODE_SHARED_DIR/flaky; exit 4; fi",
    constraints: { maxTaskRetryCount: 3 },
  });
  tasks.push({ id: "after-flaky", commandLine: "echo after flaky", dependsOn: { taskIds: ["flaky"] } });
  const added = await client.task.addCollection("jsjob", tasks);
  result.added = added.value.map((r) => r.status);

  await until("every task to complete", async () => {
    const listed = await all(() => client.task.list("jsjob"), (link) => client.task.listNext(link));
    return listed.length === 20 && listed.every((t) => t.state === "completed");
  }, 120);
  const done = await all(() => client.task.list("jsjob", { taskListOptions: { maxResults: 7 } }),
    (link) => client.task.listNext(link));
  result.tasks = done.map((t) => ({
    id: t.id,
    result: t.executionInfo.result,
    exitCode: t.executionInfo.exitCode,
    retryCount: t.executionInfo.retryCount,
    startTime: t.executionInfo.startTime.toISOString(),
    endTime: t.executionInfo.endTime.toISOString(),
  }));
  const counts = await client.job.getTaskCounts("jsjob");
  result.counts = { completed: counts.taskCounts.completed, succeeded: counts.taskCounts.succeeded };
  result.reportStdout = await text(await client.file.getFromTask("jsjob", "report", "stdout.txt"));
  result.part7Stdout = await text(await client.file.getFromTask("jsjob", "7", "stdout.txt"));
  try {
    await client.pool.get("nosuchpool");
    result.missingPool = "found";
  } catch (e) {
    result.missingPool = { status: e.statusCode, code: e.code };
  }

  await client.job.deleteMethod("jsjob");
  await client.pool.deleteMethod("jspool");
  result.poolGone = await until("the pool to be deleted", async () => {
    try {
      await client.pool.get("jspool");
      return false;
    } catch (e) {
      return e.statusCode === 404;
    }
  }, 60);
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e && (e.stack || e.message || e));
  if (e && e.body) {
    console.error(JSON.stringify(e.body));
  }
  process.exit(1);
});
