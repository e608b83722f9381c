"""The web server: textual-serve's aiohttp app, with sign-in checked on every page and on the
websocket, and one app process per tab (``annotator.web.tab``) started with the name and
role the server decided.

Routes: ``/`` the annotate screen, ``/review`` the review screen (reviewers), ``/signin``
(the link's ``?token=``, or a form), ``/signout``, ``/ws/<screen>`` the websocket of a page,
``/static`` textual-serve's own scripts and styles. There is no download route: the screens
deliver no files.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from annotator.core.errors import UserError
from annotator.core.task_order import HandOut
from annotator.web.limits import SessionLimits
from annotator.web.signin import COOKIE, SignIn
from annotator.web.tab import ANNOTATE, REVIEW, SAVING, SCREENS, tab_arguments
from annotator.web.users import User

log = logging.getLogger("annotator.serve")
TEMPLATES = Path(__file__).parent / "templates"
REVOKED_CHECK_SECONDS = 1.0  # how soon a revoked person's open tabs end
QUIT_SECONDS = 10.0  # a tab's process gets this long to leave cleanly (its answer saved, its lease back)
COOKIE_DAYS = 30
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the sign-in link's token never leaves in a Referer
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


class TabProcess(AppService):
    """textual-serve's AppService for one tab, started from an argument list (no shell) in a
    session of its own, so a Ctrl+C at the server's terminal reaches the server, which then
    quits every tab cleanly."""

    def __init__(self, arguments: list[str], websocket: web.WebSocketResponse, **kwargs: Any) -> None:
        super().__init__(" ".join(arguments), **kwargs)
        self.arguments, self.websocket = arguments, websocket
        self.saving = False  # the app said it stays to store an answer: never killed then
        self.user: User | None = None
        self.ending_note: str | None = None  # said in the page's terminal once the app has ended
        self.note_said = False

    async def _open_app_process(self, width: int = 80, height: int = 24):
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.arguments,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def on_meta(self, data: bytes) -> None:
        kind = json.loads(data).get("type")
        if kind == SAVING:
            self.saving = True
            log.info("tab process %s stays to store an answer before it ends", self.pid)
            return
        if kind == "exit":  # the app has left its screen: the page closes next
            await self.say_ending_note()
        await super().on_meta(data)

    async def say_ending_note(self) -> None:
        """The note on why this tab ended, once, in the page's terminal."""
        if self.ending_note is None or self.note_said or self.websocket.closed:
            return
        self.note_said = True
        with contextlib.suppress(ConnectionResetError):
            await self.websocket.send_bytes(f"\r\n  annotator: {self.ending_note}\r\n".encode())

    async def on_data(self, payload: bytes) -> None:
        # The page may be gone while the app still paints (storing an answer before it
        # leaves): its output is dropped, so the app is never stuck on a full pipe.
        if not self.websocket.closed:
            with contextlib.suppress(ConnectionResetError):
                await super().on_data(payload)

    async def run(self) -> None:
        await super().run()
        if not self.websocket.closed:  # the app ended (quit, crash): the page says "Session ended"
            await self.say_ending_note()
            await self.websocket.close()

    async def stop(self) -> None:
        """Ask the app to quit (it saves and gives its lease back), then end it if it will not,
        unless it said it stays to store an answer: then wait for it, however long."""
        task, process = self._task, self._process
        if task is None or process is None:
            return
        self._task = None
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
        for ending in (None, signal.SIGTERM, signal.SIGKILL):
            if ending is signal.SIGKILL and self.saving:  # it ends itself once the answer is stored
                await task
                break
            if ending is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(ending)
            try:
                await asyncio.wait_for(asyncio.shield(task), QUIT_SECONDS)
                break
            except TimeoutError:
                log.warning("tab process %s did not quit (%s)", process.pid, ending or "quit message")
        await process.wait()


class AnnotatorServer(Server):
    def __init__(
        self,
        *,
        db: Path,
        labels: Path,
        dataset: str,
        overlap: int,
        sign_in: SignIn,
        limits: SessionLimits,
        host: str = "127.0.0.1",
        port: int = 8000,
        public_url: str | None = None,
        hand_out: HandOut | None = None,
    ) -> None:
        super().__init__("annotator", host=host, port=port, title="annotator", public_url=public_url)
        self.db, self.labels, self.dataset, self.overlap = db, labels, dataset, overlap
        self.sign_in, self.limits = sign_in, limits
        self.hand_out = hand_out or HandOut()  # --order, --seed, --control of every annotate tab
        self.public_url_given = public_url is not None
        self.tabs: set[TabProcess] = set()
        self.ending: set[asyncio.Task] = set()  # tabs of revoked people, being stopped
        self.watching: asyncio.Task | None = None
        self.on_tab_started: Any = None  # tests and the benchmark: called with (user, screen, TabProcess)

    # -- the aiohttp app -----------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        return self.make_app()

    def make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.annotate_page, name="index"),
                web.get("/review", self.review_page, name="review"),
                web.get("/signin", self.signin_page, name="signin"),
                web.post("/signin", self.signin_form),
                web.get("/signout", self.signout),
                web.get("/ws/{screen}", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        # The command prints the start-up line (textual-serve's logo would hide it).
        self.watching = asyncio.create_task(self.end_revoked_tabs())

    async def end_revoked_tabs(self) -> None:
        """A person revoked (or whose role changed) loses the tabs they have open: each app
        quits as on a closed tab (its answer stored, its lease given back)."""
        while True:
            await asyncio.sleep(REVOKED_CHECK_SECONDS)
            for tab in list(self.tabs):
                if tab.user is None or tab.ending_note is not None:
                    continue
                try:
                    allowed = self.sign_in.still_signed_in(tab.user)
                except UserError as error:  # a broken users file: no new sign-in, open tabs go on
                    log.warning("%s", error)
                    break
                if not allowed:
                    log.info("%s can no longer sign in: ending their tab (process %s)", tab.user.name, tab.pid)
                    tab.ending_note = f"{tab.user.name} can no longer sign in here; this tab has ended."
                    self.ending.add(task := asyncio.create_task(tab.stop()))
                    task.add_done_callback(self.ending.discard)

    async def on_shutdown(self, app: web.Application) -> None:
        """Every tab quits cleanly before the server ends: answers saved, leases given back."""
        if self.watching is not None:
            self.watching.cancel()
        await asyncio.gather(*(tab.stop() for tab in list(self.tabs)), return_exceptions=True)

    # -- who is asking -------------------------------------------------------------------

    async def who(self, request: web.Request) -> User | None:
        # scrypt takes tens of milliseconds: off the event loop, so other tabs' keys go on.
        # The headers as they are (a dict would keep one of a repeated header, by its case).
        headers, cookies = request.headers.copy(), dict(request.cookies)
        return await asyncio.get_running_loop().run_in_executor(None, self.sign_in.who, headers, cookies)

    def page(self, template: str, request: web.Request, status: int = 200, **context: Any) -> web.Response:
        context.setdefault("by_proxy", self.sign_in.by_proxy)
        response = aiohttp_jinja2.render_template(template, request, context, status=status)
        response.headers.update(PAGE_HEADERS)
        return response

    def message(self, request: web.Request, status: int, title: str, text: str, user: User | None = None):
        return self.page("message.html", request, status=status, title=title, text=text, user=user)

    def not_signed_in(self, request: web.Request) -> web.Response:
        if self.sign_in.by_proxy:
            return self.message(
                request, 401, "Not signed in", "The proxy in front of this server did not say who you are."
            )
        return self.page("signin.html", request, status=401, wrong=False)

    # -- pages ---------------------------------------------------------------------------

    async def annotate_page(self, request: web.Request) -> web.Response:
        return await self.screen_page(request, ANNOTATE)

    async def review_page(self, request: web.Request) -> web.Response:
        return await self.screen_page(request, REVIEW)

    async def screen_page(self, request: web.Request, screen: str) -> web.Response:
        user = await self.who(request)
        if user is None:
            return self.not_signed_in(request)
        if screen == REVIEW and not user.reviewer:
            return self.message(request, 403, "For reviewers", "The review screen is for reviewers.", user)
        refusal = self.limits.refusal(user.name)
        if refusal is not None:
            return self.message(request, 503, "Not now", refusal[0].upper() + refusal[1:] + ".", user)
        websocket_url = self.websocket_url(request, screen)
        font_size = to_int(request.query.get("fontsize", "16"), 16)
        return self.page(
            "page.html",
            request,
            user=user,
            screen=screen,
            font_size=font_size,
            websocket_url=websocket_url,
            static_url=str(request.app.router["static"].url_for(filename="/")).rstrip("/") + "/",
        )

    def websocket_url(self, request: web.Request, screen: str) -> str:
        """The page's websocket, on the address the browser used (public_url when given)."""
        path = str(request.app.router["websocket"].url_for(screen=screen))
        if self.public_url_given:
            base = urlsplit(self.public_url)
            scheme, netloc = ("wss" if base.scheme == "https" else "ws"), base.netloc
        else:
            scheme, netloc = ("wss" if request.secure else "ws"), request.host
        return f"{scheme}://{netloc}{path}"

    async def signin_page(self, request: web.Request) -> web.Response:
        if self.sign_in.by_proxy:
            return self.message(request, 404, "Not here", "The proxy in front of this server signs people in.")
        token = request.query.get("token")
        if token is None:
            return self.page("signin.html", request, wrong=False)
        return await self.signed_in(request, token)

    async def signin_form(self, request: web.Request) -> web.Response:
        if self.sign_in.by_proxy:
            return self.message(request, 404, "Not here", "The proxy in front of this server signs people in.")
        form = await request.post()
        token = form.get("token")
        return await self.signed_in(request, token.strip() if isinstance(token, str) else "")

    async def signed_in(self, request: web.Request, token: str) -> web.Response:
        user = await asyncio.get_running_loop().run_in_executor(None, self.sign_in.with_token, token)
        if user is None:
            return self.page("signin.html", request, status=401, wrong=True)
        response = web.HTTPSeeOther("/", headers=PAGE_HEADERS)
        secure = request.secure or self.public_url.startswith("https")
        response.set_cookie(
            COOKIE, token, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Lax", secure=secure, path="/"
        )
        return response

    async def signout(self, request: web.Request) -> web.Response:
        response = web.HTTPSeeOther("/signin", headers=PAGE_HEADERS)
        response.del_cookie(COOKIE, path="/")
        return response

    # -- the websocket -------------------------------------------------------------------

    def same_origin(self, request: web.Request) -> bool:
        """A websocket opened by a page of this server, not by another site's page riding on
        the cookie (browsers always send Origin on websockets; other clients may not)."""
        origin = request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == request.host

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        screen = request.match_info["screen"]
        if screen not in SCREENS:
            raise web.HTTPNotFound()
        if not self.same_origin(request):
            raise web.HTTPForbidden(text="another site's page cannot open this websocket")
        user = await self.who(request)
        if user is None:
            raise web.HTTPUnauthorized(text="not signed in")
        if screen == REVIEW and not user.reviewer:
            raise web.HTTPForbidden(text="the review screen is for reviewers")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        refusal = self.limits.take(user.name)
        if refusal is not None:  # shown in the page's terminal, then the page says "Session ended"
            await websocket.send_bytes(f"\r\n  annotator: {refusal}.\r\n".encode())
            await websocket.close()
            return websocket
        try:
            await self.run_tab(websocket, request, user, screen)
        finally:
            self.limits.give_back(user.name)
        return websocket

    async def run_tab(self, websocket: web.WebSocketResponse, request: web.Request, user: User, screen: str) -> None:
        arguments = tab_arguments(
            self.db, self.labels, self.dataset, user.name, user.role, screen, self.overlap, self.hand_out
        )
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        tab = TabProcess(
            arguments,
            websocket,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        tab.user = user
        self.tabs.add(tab)
        try:
            await tab.start(width, height)
            log.info("%s (%s) opened %s: process %s", user.name, user.role, screen, tab.pid)
            if self.on_tab_started is not None:
                self.on_tab_started(user, screen, tab)
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # one tab's trouble is logged; the server and other tabs go on
            log.exception(error)
        finally:
            await tab.stop()
            self.tabs.discard(tab)
            log.info("%s closed %s: process %s", user.name, screen, tab.pid)

    # -- running -------------------------------------------------------------------------

    def serve(self, debug: bool = False) -> None:
        """Until SIGINT or SIGTERM; then every tab quits cleanly (``on_shutdown``)."""
        logging.basicConfig(level=logging.INFO, format="annotator serve: %(message)s")
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for ending in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(ending, self.request_exit)
        web.run_app(
            self.make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=lambda *args: None,
            access_log=None,
        )


def loopback(host: str) -> bool:
    """Whether ``host`` only takes connections from this machine."""
    import ipaddress
    import socket

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)
