// Gate a release on the CDN: purge the site's URLs whenever its content changes and wait until
// every URL reports Complete; wait for another account's DCDN refresh; read the failed tasks.
import * as pulumi from "@pulumi/pulumi";
import * as cdnRefresh from "@cdn-refresh/alicloud-cdn-refresh";

const config = new pulumi.Config();
const siteVersion = config.get("siteVersion") ?? "1";

// The default provider reads alicloud-cdn-refresh:accessKey / secretKey / endpoints ... from the
// stack config, else the environment and the profile file pulumi-alicloud reads.
const refresh = new cdnRefresh.CacheRefresh("site-refresh", {
    objectPaths: ["https://www.example.com/index.html", "https://www.example.com/app.js"],
    operation: "refresh",
    objectType: "File",
    triggers: { siteVersion: siteVersion },
    timeoutSeconds: 900,
}, { customTimeouts: { create: "20m" } });

// A second account: an explicit provider carries its own settings.
const accountB = new cdnRefresh.Provider("account-b", {
    profile: "account-b",
    endpoints: [{ dcdn: "dcdn.aliyuncs.com" }],
});

const apiFresh = new cdnRefresh.RefreshWait("api-fresh", {
    objectPaths: ["https://api.example.com/v1/menu.json"],
    product: "dcdn",
    since: "2026-11-28T08:00:00Z",
    timeoutSeconds: 600,
}, { provider: accountB });

// Runs in preview too; after the refresh when it is created.
const failed = cdnRefresh.getRefreshTasksOutput({
    objectType: "file",
    status: "Failed",
}, { dependsOn: [refresh] });

export const refreshCompletedAt = refresh.completedAt;
export const refreshTaskIds = refresh.taskIds;
export const apiStatuses = apiFresh.tasks.apply(tasks => tasks.map(task => task.status));
export const failedPaths = failed.tasks.apply(tasks => tasks.map(task => task.objectPath));
