from flask_sock import Sock

sock = Sock()
