// The official Azure SDK for JavaScript against Cirrus's gateway, as a user would write it for Azure: only the
// authority, the endpoint and the trust (NODE_EXTRA_CA_CERTS) differ. Run by AzureSdkTest; prints one JSON line.
const { ClientSecretCredential } = require("@azure/identity");
const { ResourceManagementClient } = require("@azure/arm-resources");
const { ComputeManagementClient } = require("@azure/arm-compute");

async function main() {
  const env = process.env;
  const gateway = env.CIRRUS_GATEWAY; // https://localhost:8443
  const credential = new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, {
    authorityHost: gateway + "/",
    // MSAL would otherwise ask Microsoft's public cloud to vouch for an authority it does not know
    disableInstanceDiscovery: true,
  });
  const subscription = env.AZURE_SUBSCRIPTION_ID;
  const group = env.GROUP;
  const resources = new ResourceManagementClient(credential, subscription, { endpoint: gateway });
  const result = {};

  const created = await resources.resourceGroups.createOrUpdate(group, {
    location: "eastus",
    tags: { "made-by": "azure-sdk-for-js" },
  });
  result.created = { name: created.name, location: created.location, tags: created.tags };
  result.got = (await resources.resourceGroups.get(group)).name;
  result.listed = [];
  for await (const g of resources.resourceGroups.list()) {
    result.listed.push(g.name);
  }

  if (env.WITH_VM === "true") {
    // a VM stands on a network interface in a subnet: created through the SDK's generic resource operations
    const network = `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Network`;
    const nicId = `${network}/networkInterfaces/js-nic`;
    await resources.resources.createOrUpdateById(`${network}/virtualNetworks/js-vnet`, "2024-05-01", {
      location: "eastus",
      properties: {
        addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
        subnets: [{ name: "default", properties: { addressPrefix: "10.0.0.0/24" } }],
      },
    });
    await resources.resources.createOrUpdateById(nicId, "2024-05-01", {
      location: "eastus",
      properties: {
        ipConfigurations: [{
          name: "ipconfig1",
          properties: { subnet: { id: `${network}/virtualNetworks/js-vnet/subnets/default` } },
        }],
      },
    });
    const compute = new ComputeManagementClient(credential, subscription, { endpoint: gateway });
    const vm = await compute.virtualMachines.createOrUpdate(group, "js-vm", {
      location: "eastus",
      hardwareProfile: { vmSize: "Standard_B2s" },
      storageProfile: {
        imageReference: {
          publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2", version: "latest",
        },
      },
      osProfile: { computerName: "js-vm", adminUsername: "azureuser", adminPassword: "Cirrus-Passw0rd!" },
      networkProfile: {
        networkInterfaces: [{
          id: nicId,
          primary: true,
        }],
      },
    });
    result.vmCreated = vm.provisioningState;
    const got = await compute.virtualMachines.get(group, "js-vm");
    result.vm = { name: got.name, size: got.hardwareProfile && got.hardwareProfile.vmSize, state: got.provisioningState };
    const nic = await resources.resources.getById(nicId, "2024-05-01");
    result.nicVm = nic.properties && nic.properties.virtualMachine && nic.properties.virtualMachine.id;
    result.vms = [];
    for await (const v of compute.virtualMachines.list(group)) {
      result.vms.push(v.name);
    }
    await compute.virtualMachines.delete(group, "js-vm");
    result.vmsAfterDelete = [];
    for await (const v of compute.virtualMachines.list(group)) {
      result.vmsAfterDelete.push(v.name);
    }
  }

  await resources.resourceGroups.delete(group);
  result.existsAfterDelete = (await resources.resourceGroups.checkExistence(group)).body;
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  if (e && e.response) {
    console.error(e.statusCode, e.response.bodyAsText);
  }
  process.exit(1);
});
