// streamc-kafka-test: Kafka helpers for the lit tests in test/kafka.
//
//   streamc-kafka-test mock [--brokers N] [--control PATH]
//       Starts librdkafka's in-process mock cluster with N brokers (default 1),
//       prints its bootstrap address ("127.0.0.1:PORT,...") as one line on
//       stdout, and serves it until stdin reaches EOF or SIGTERM/SIGINT
//       arrives; then destroys the cluster and exits 0. (Stdin must stay open:
//       started with stdin from /dev/null it exits at once.) librdkafka's log
//       is printed only for errors.
//       --control PATH: also listen on a Unix socket at PATH through which
//       `create-topic` creates topics in this cluster (see below). PATH is
//       removed again on exit.
//
//   streamc-kafka-test create-topic --brokers B --topic T --partitions N
//                                   [--timeout S]
//       Creates topic T with N partitions (replication factor 1) and waits
//       until the cluster's metadata shows all N partitions with a leader.
//       A topic that already exists with N partitions is fine (exit 0); one
//       with another partition count is an error. (Beware: the mock
//       auto-creates a topic with 4 partitions on any metadata request naming
//       it, e.g. `kcat -L -t T`, a consumer's subscription or a produce, so
//       create topics first.)
//       How: librdkafka 2.0.2's mock cluster does not implement the
//       CreateTopics request (the Admin API times out "waiting for
//       controller"), and its automatic topic creation always makes 4
//       partitions. So when the environment variable
//       STREAMC_KAFKA_MOCK_CONTROL names the control socket of a `mock`
//       process whose bootstrap address is exactly B, the topic is created
//       through that socket (rd_kafka_mock_topic_create in the mock process).
//       Otherwise -- a real cluster -- it uses the Admin API
//       (rd_kafka_CreateTopics). test/kafka/with-kafka.py sets the variable,
//       so tests call create-topic the same way for both.
//       Waits at most S seconds (default 10) for the brokers.
//
//   streamc-kafka-test refuse-commits --brokers B --count N
//       Only with the mock (through its control socket, as create-topic):
//       the next N OffsetCommit requests to the cluster fail with "Group
//       rebalance in progress", as a broker answers while a group
//       rebalances. Tests of how a consumer's commits survive rebalances
//       use it to make the race they depend on happen every time.
//
// Exit status: 0 on success; 2 on any error (usage errors included), with one
// line on stderr ("streamc-kafka-test: ...").
//
// There is no wait-group subcommand: the 2.0.2 mock implements neither
// ListGroups nor DescribeGroups, so rd_kafka_DescribeConsumerGroups cannot
// work against it.

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

const char* const kProg = "streamc-kafka-test";
const char* const kControlEnv = "STREAMC_KAFKA_MOCK_CONTROL";

[[noreturn]] void fail(const std::string& msg) {
  std::fprintf(stderr, "%s: %s\n", kProg, msg.c_str());
  std::exit(2);
}

const char* const kUsage =
    "usage: streamc-kafka-test mock [--brokers N] [--control PATH]\n"
    "       streamc-kafka-test create-topic --brokers B --topic T --partitions N [--timeout S]\n"
    "       streamc-kafka-test refuse-commits --brokers B --count N\n";

[[noreturn]] void usage(const std::string& msg) { fail(msg + " (see --help)"); }

// Options as "--name value" pairs after the subcommand.
struct Options {
  std::vector<std::pair<std::string, std::string>> values;

  Options(int argc, char** argv, std::vector<std::string> known) {
    for (int i = 2; i < argc; ++i) {
      std::string name = argv[i];
      bool ok = false;
      for (const auto& k : known) ok = ok || name == "--" + k;
      if (!ok) usage("unknown option '" + name + "'");
      if (i + 1 >= argc) usage("option '" + name + "' needs a value");
      values.emplace_back(name.substr(2), argv[++i]);
    }
  }
  const std::string* get(const std::string& name) const {
    const std::string* found = nullptr;
    for (const auto& [k, v] : values)
      if (k == name) found = &v;  // the last one wins
    return found;
  }
  std::string required(const std::string& name) const {
    const std::string* v = get(name);
    if (!v) usage("missing --" + name);
    return *v;
  }
  int integer(const std::string& name, int def, int min) const {
    const std::string* v = get(name);
    if (!v) return def;
    char* end = nullptr;
    long n = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || n < min || n > 100000)
      usage("--" + name + " needs an integer >= " + std::to_string(min) + ", got '" + *v + "'");
    return static_cast<int>(n);
  }
};

// ------------------------------------------------------------------ logging

// librdkafka log lines at LOG_ERR or worse; the rest is dropped.
void printErrorsLogCb(const rd_kafka_t*, int level, const char* fac, const char* buf) {
  if (level <= 3) std::fprintf(stderr, "%s: librdkafka: %s: %s\n", kProg, fac, buf);
}

// For create-topic: nothing is printed while waiting; the last error is
// remembered for the final message.
std::string lastClientError;
void rememberLogCb(const rd_kafka_t*, int level, const char*, const char* buf) {
  if (level <= 3) lastClientError = buf;
}
void rememberErrorCb(rd_kafka_t*, int, const char* reason, void*) { lastClientError = reason; }

rd_kafka_conf_t* newConf() {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  // Logs go to the callback from the thread that causes them, not a queue.
  if (rd_kafka_conf_set(conf, "log.queue", "false", err, sizeof err) != RD_KAFKA_CONF_OK)
    fail(std::string("config: ") + err);
  return conf;
}

void setConf(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, name, value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
    fail(std::string("config ") + name + ": " + err);
}

// ------------------------------------------------------------------- mock

volatile std::sig_atomic_t stopSignal = 0;
void onSignal(int sig) { stopSignal = sig; }

// One control request: "create-topic BOOTSTRAP TOPIC PARTITIONS\n" or
// "refuse-commits BOOTSTRAP COUNT -\n".
// Replies "ok\n", "exists\n", "other-cluster\n" or "error MESSAGE\n".
void serveControl(int fd, rd_kafka_mock_cluster_t* mcluster, const std::string& bootstraps) {
  std::string request;
  char buf[512];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (request.find('\n') == std::string::npos && request.size() < 4096) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    request.append(buf, static_cast<size_t>(n));
  }
  request = request.substr(0, request.find('\n'));

  std::vector<std::string> words;
  for (size_t pos = 0; pos <= request.size();) {
    size_t sp = request.find(' ', pos);
    if (sp == std::string::npos) sp = request.size();
    words.push_back(request.substr(pos, sp - pos));
    pos = sp + 1;
  }
  std::string reply;
  if (words.size() != 4 || (words[0] != "create-topic" && words[0] != "refuse-commits")) {
    reply = "error bad control request\n";
  } else if (words[1] != bootstraps) {
    reply = "other-cluster\n";
  } else if (words[0] == "refuse-commits") {
    constexpr int16_t kOffsetCommit = 8; // the request's API key
    std::vector<rd_kafka_resp_err_t> errors(std::strtoul(words[2].c_str(), nullptr, 10),
                                            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS);
    rd_kafka_mock_push_request_errors_array(mcluster, kOffsetCommit, errors.size(),
                                            errors.data());
    reply = "ok\n";
  } else {
    int partitions = std::atoi(words[3].c_str());
    rd_kafka_resp_err_t err =
        partitions < 1 ? RD_KAFKA_RESP_ERR_INVALID_PARTITIONS
                       : rd_kafka_mock_topic_create(mcluster, words[2].c_str(), partitions, 1);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) reply = "ok\n";
    else if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) reply = "exists\n";
    else reply = std::string("error ") + rd_kafka_err2str(err) + "\n";
  }
  (void)!write(fd, reply.data(), reply.size());
}

int runMock(const Options& opts) {
  int brokers = opts.integer("brokers", 1, 1);
  const std::string* controlPath = opts.get("control");

  struct sigaction sa {};
  sa.sa_handler = onSignal;  // no SA_RESTART: poll() returns EINTR
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  // The mock cluster needs a client handle for its bookkeeping; it is not
  // used otherwise (and has no bootstrap.servers of its own).
  rd_kafka_conf_t* conf = newConf();
  rd_kafka_conf_set_log_cb(conf, printErrorsLogCb);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) fail(std::string("cannot create the client handle: ") + err);
  rd_kafka_mock_cluster_t* mcluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mcluster) fail("cannot create the mock cluster");
  std::string bootstraps = rd_kafka_mock_cluster_bootstraps(mcluster);

  int listenFd = -1;
  if (controlPath) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (controlPath->size() >= sizeof addr.sun_path)
      fail("control socket path too long: " + *controlPath);
    std::strcpy(addr.sun_path, controlPath->c_str());
    unlink(controlPath->c_str());
    listenFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listenFd < 0 || bind(listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(listenFd, 16) != 0)
      fail("cannot listen on control socket " + *controlPath + ": " + std::strerror(errno));
  }

  std::printf("%s\n", bootstraps.c_str());
  std::fflush(stdout);

  bool stdinOpen = true;
  while (!stopSignal && stdinOpen) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {listenFd, POLLIN, 0}};
    int n = poll(fds, listenFd >= 0 ? 2 : 1, 1000);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(std::string("poll: ") + std::strerror(errno));
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
      char buf[256];
      ssize_t r = read(STDIN_FILENO, buf, sizeof buf);  // input is ignored
      if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) stdinOpen = false;
    }
    if (listenFd >= 0 && (fds[1].revents & POLLIN)) {
      int fd = accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        serveControl(fd, mcluster, bootstraps);
        close(fd);
      }
    }
  }

  if (listenFd >= 0) {
    close(listenFd);
    unlink(controlPath->c_str());
  }
  rd_kafka_mock_cluster_destroy(mcluster);
  rd_kafka_destroy(rk);
  return 0;
}

// ----------------------------------------------------------- create-topic

// Sends REQUEST to the mock process behind $STREAMC_KAFKA_MOCK_CONTROL and
// returns its reply, without the newline; "" if there is no such process.
std::string askMock(const std::string& request) {
  const char* path = std::getenv(kControlEnv);
  if (!path || !*path) return "";
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (std::strlen(path) >= sizeof addr.sun_path)
    fail(std::string(kControlEnv) + " is too long: " + path);
  std::strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    fail(std::string("cannot connect to the mock cluster's control socket ") + path + " (" +
         kControlEnv + "): " + std::strerror(errno));
  std::string line = request + "\n";
  if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    fail(std::string("cannot write to the mock cluster's control socket: ") + std::strerror(errno));
  std::string reply;
  char buf[512];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) fail("no answer from the mock cluster's control socket");
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (!reply.empty() && reply.back() == '\n') reply.pop_back();
  if (reply.rfind("error ", 0) == 0) fail("the mock cluster: " + request + ": " + reply.substr(6));
  return reply;
}

// Creates the topic in the mock process behind $STREAMC_KAFKA_MOCK_CONTROL.
// Returns false if there is none or it serves another cluster (then the
// Admin API is used).
bool createTopicViaMock(const std::string& brokers, const std::string& topic, int partitions) {
  std::string reply =
      askMock("create-topic " + brokers + " " + topic + " " + std::to_string(partitions));
  if (reply == "ok" || reply == "exists") return true;
  if (reply == "other-cluster" || reply.empty()) return false;
  fail("unexpected answer from the mock cluster's control socket: '" + reply + "'");
}

int runRefuseCommits(const Options& opts) {
  std::string brokers = opts.required("brokers");
  int count = opts.integer("count", -1, 1);
  if (count < 1) usage("missing --count");
  std::string reply = askMock("refuse-commits " + brokers + " " + std::to_string(count) + " -");
  if (reply != "ok")
    fail("refuse-commits needs the mock cluster (with-kafka.py without STREAMC_KAFKA_BROKERS)");
  return 0;
}

std::string withLastError(const std::string& msg) {
  return lastClientError.empty() ? msg : msg + " (last error: " + lastClientError + ")";
}

void createTopicViaAdmin(rd_kafka_t* rk, const std::string& brokers, const std::string& topic,
                         int partitions, int timeoutMs) {
  char err[512];
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, err, sizeof err);
  if (!nt) fail("topic " + topic + ": " + err);
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, err, sizeof err);
  rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, err, sizeof err);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &nt, 1, options, queue);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, timeoutMs + 5000);
  if (!ev) fail(withLastError("no answer from " + brokers + " to CreateTopics"));
  if (rd_kafka_event_error(ev)) {
    std::string msg = rd_kafka_event_error_string(ev);
    // Reachable brokers without a controller: likely a librdkafka mock cluster.
    if (lastClientError.empty() && msg.find("waiting for controller") != std::string::npos)
      msg += "; if this is a librdkafka mock cluster, it cannot create topics this way: set " +
             std::string(kControlEnv) + " to its control socket";
    fail(withLastError("cannot create topic " + topic + " at " + brokers + ": " + msg));
  }
  size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &count);
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      const char* s = rd_kafka_topic_result_error_string(results[i]);
      fail("cannot create topic " + topic + " at " + brokers + ": " +
           (s && *s ? s : rd_kafka_err2str(e)));
    }
  }
  rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(queue);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_NewTopic_destroy(nt);
}

// Waits until the metadata shows the topic with its partitions, each with a
// leader, so that producing to it right away works; fails at once if it has
// another number of partitions than `partitions`.
void waitForTopic(rd_kafka_t* rk, const std::string& brokers, const std::string& topic,
                  int partitions, std::chrono::steady_clock::time_point deadline) {
  std::string state = "not in the metadata";
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) break;
    const struct rd_kafka_metadata* md = nullptr;
    // All topics: asking for one topic could auto-create it on a real broker.
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 1, nullptr, &md, static_cast<int>(left));
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
      for (int i = 0; i < md->topic_cnt; ++i) {
        const rd_kafka_metadata_topic_t& t = md->topics[i];
        if (topic != t.topic) continue;
        int ready = 0;
        for (int p = 0; p < t.partition_cnt; ++p)
          if (t.partitions[p].err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partitions[p].leader >= 0)
            ++ready;
        if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partition_cnt > 0 &&
            ready == t.partition_cnt) {
          int have = t.partition_cnt;
          rd_kafka_metadata_destroy(md);
          if (have == partitions) return;
          fail("topic " + topic + " already exists at " + brokers + " with " +
               std::to_string(have) + " partitions, not " + std::to_string(partitions));
        }
        state = std::to_string(ready) + " of " + std::to_string(t.partition_cnt) +
                " partitions ready";
      }
      rd_kafka_metadata_destroy(md);
    } else {
      state = rd_kafka_err2str(e);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  fail(withLastError("timed out waiting for topic " + topic + " at " + brokers + " (" + state +
                     ")"));
}

int runCreateTopic(const Options& opts) {
  std::string brokers = opts.required("brokers");
  std::string topic = opts.required("topic");
  // Kafka's rule; it also keeps the control request's words apart.
  bool legal = !topic.empty() && topic.size() <= 249 && topic != "." && topic != "..";
  for (char c : topic) legal = legal && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                         c == '_' || c == '-');
  if (!legal) fail("invalid topic name '" + topic + "' (allowed: letters, digits, '.', '_', '-')");
  int partitions = opts.integer("partitions", -1, 1);
  if (partitions < 1) usage("missing --partitions");
  int timeoutMs = opts.integer("timeout", 10, 1) * 1000;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);

  bool viaMock = createTopicViaMock(brokers, topic, partitions);

  rd_kafka_conf_t* conf = newConf();
  setConf(conf, "bootstrap.servers", brokers);
  rd_kafka_conf_set_log_cb(conf, rememberLogCb);
  rd_kafka_conf_set_error_cb(conf, rememberErrorCb);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) fail(std::string("cannot create the client: ") + err);
  if (!viaMock) createTopicViaAdmin(rk, brokers, topic, partitions, timeoutMs);
  waitForTopic(rk, brokers, topic, partitions, deadline);
  rd_kafka_destroy(rk);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) usage("missing subcommand");
  std::string cmd = argv[1];
  if (cmd == "mock") return runMock(Options(argc, argv, {"brokers", "control"}));
  if (cmd == "create-topic")
    return runCreateTopic(Options(argc, argv, {"brokers", "topic", "partitions", "timeout"}));
  if (cmd == "refuse-commits") return runRefuseCommits(Options(argc, argv, {"brokers", "count"}));
  if (cmd == "-h" || cmd == "--help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  usage("unknown subcommand '" + cmd + "'");
}
